"""Markdown summary of a trained model from its card (metrics, data, training history)."""
import json


def _prf_table(windows: dict) -> list[str]:
    rows = ['| class | precision | recall | F1 | positive windows | labelled windows |', '|---|---|---|---|---|---|']
    for name, m in windows.items():
        rows.append(f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['positives']} | {m['windows']} |")
    return rows


def _confusion(conf: dict) -> list[str]:
    labels = conf['labels']
    rows = ['| true \\ predicted | ' + ' | '.join(labels) + ' |', '|---' * (len(labels) + 1) + '|']
    for name, row in zip(labels, conf['matrix']):
        rows.append(f'| {name} | ' + ' | '.join(str(v) for v in row) + ' |')
    return rows


def render(card: dict) -> str:
    arch = card['architecture']
    tr = card['training']
    m = card['metrics']
    lines = [
        f"# {card['name']}: training report",
        '',
        f"Generated from `{card['file'].replace('.onnx', '.card.json')}` by `libs/model/training/vigil_train/report.py`.",
        f"Trained {tr['date']} with `{tr['command']}` on {tr['machine']} in {tr['minutes']} min (seed {tr['seed']}).",
        '',
        '## Model',
        '',
        describe(card),
        '',
        'Thresholds chosen on the validation windows (F0.5-optimal per class, 0.30-0.95: precision weighs twice): '
        + ', '.join(f'{k} {v:.2f}' for k, v in card['thresholds'].items()) + '.',
        '',
        '## Data',
        '',
        '| split | windows |',
        '|---|---|',
    ]
    for k, v in tr['data'].items():
        if k != 'real_clips':
            lines.append(f'| {k} | {v} |')
    lines += ['', f"Real clips: {tr['data'].get('real_clips') or 'none'} (train split trains, val split selects and is reported; never committed).", '']
    for split, title in (('synthetic_test', 'Synthetic test split (held out, never used for selection)'), ('real_val', 'Real clips, val split')):
        if split not in m:
            continue
        lines += [f'## {title}', '', 'Window level, at the card thresholds (NaN-labelled windows, e.g. the person lying after a fall, are excluded):', '']
        lines += _prf_table(m[split]['windows'])
        lines += ['', 'Single-label view (first true label vs highest score over its threshold):', '']
        lines += _confusion(m[split]['confusion'])
        if 'clips' in m[split]:
            lines += ['', 'Clip level with the agent\'s rule (2 consecutive windows over the threshold raise an event):', '',
                      '| class | clips | detected | other clips | false alarm clips |', '|---|---|---|---|---|']
            for name, c in m[split]['clips'].items():
                lines.append(f"| {name} | {c['clips']} | {c['detected']} | {c['other_clips']} | {c['false_alarm_clips']} |")
        lines.append('')
    if 'teacher' in card:
        lines += teacher_table(card)
    lines += ['## Training history', '']
    history = tr['history'] if isinstance(tr['history'], dict) else {'window': tr['history']}
    for stage, rows in history.items():
        if stage == 'mae':
            lines += ['Stage 1, masked pretraining (reconstruction loss of the hidden tubes):', '',
                      '| step | loss |', '|---|---|'] + [f"| {h['step']} | {h['loss']} |" for h in rows] + ['']
            continue
        if 'real_val_ap' not in rows[0]:
            lines += [f'{stage.capitalize()} (val macro F1 at 0.5):', '', '| epoch | loss | val macro F1 |', '|---|---|---|']
            lines += [f"| {h['epoch']} | {h['loss']} | {h['val_macro_f1']} |" for h in rows] + ['']
            continue
        lines += [f'{stage.capitalize()} (real val: macro F1 at 0.5, window average precision per class; "averaged" is the EMA of the weights):', '',
                  '| epoch | loss | weights | macro F1 | AP fall | AP fire | AP smoke | kept |', '|---|---|---|---|---|---|---|---|']
        for h in rows:
            for kind, v in [('trained', h)] + ([('averaged', h['averaged'])] if 'averaged' in h else []):
                ap = v['real_val_ap']
                kept = 'best so far' if h.get('selected') == kind else ''
                lines.append(f"| {h['epoch']} | {h['loss']} | {kind} | {v['val_macro_f1']} | {ap['fall']} | {ap['fire']} | {ap['smoke']} | {kept} |")
        lines.append('')
    return '\n'.join(lines)


def describe(card: dict) -> str:
    arch, inp = card['architecture'], card['input']
    head = (f"input {inp['frames']} frames x {inp['height']}x{inp['width']} at {inp['fps']} fps "
            f"({inp['frames'] / inp['fps']:g} s windows, hop {card['window']['hop']} frames)")
    if arch['type'] == 'factorised-streaming':
        return (f"Factorised streaming student: {head}; a per-frame encoder ({arch['patch']}px patches, width {arch['dim']}, depth "
                f"{arch['depth']}, the frame and its difference to the previous frame) whose {arch['dim'] * 2}-wide embedding is cached, "
                f"then a temporal transformer (width {arch['temporal_dim']}, depth {arch['temporal_depth']}) over the last {inp['frames']} "
                f"embeddings. {arch['gmacs_per_window']} GMACs per window when every frame is encoded afresh, "
                f"{arch['gmacs_per_frame']} GMACs per new frame + {arch['gmacs_temporal']} per temporal pass when streaming "
                f"(teacher: {arch['teacher_gmacs_per_window']} GMACs per window). PyTorch here: {arch['ms_per_window_torch']} ms per window, "
                f"{arch['ms_per_frame_torch']} ms per frame + {arch['ms_temporal_torch']} ms per temporal pass. "
                f"Output: independent sigmoid scores for {', '.join(card['labels'])}.")
    return (f"{arch['type']}, {arch['attention']} attention: {head}, tubelets {'x'.join(str(v) for v in arch['tubelet'])}, "
            f"width {arch['dim']}, depth {arch['depth']}, {arch['heads']} heads, "
            f"{'RGB + frame-difference' if arch.get('motion') else 'RGB'} tubelet channels, {arch.get('pool', 'mean')} pooling, "
            f"{arch['gmacs_per_window']} GMACs per window. Output: independent sigmoid scores for {', '.join(card['labels'])}.")


def teacher_table(card: dict) -> list[str]:
    t, s = card['teacher'], card
    rows = ['## Teacher vs student', '', '| model | GMACs/window | ms/window (PyTorch) | ' +
            ' | '.join(f'{split} F1 {c}' for split in ('synthetic_test', 'real_val') for c in s['labels']) + ' |',
            '|---' * (3 + 2 * len(s['labels'])) + '|']
    for name, m in ((t['name'], t), (s['name'], s)):
        f1 = [str(m['metrics'].get(split, {}).get('windows', {}).get(c, {}).get('f1', '-')) for split in ('synthetic_test', 'real_val') for c in s['labels']]
        rows.append(f"| {name} | {m['architecture']['gmacs_per_window']} | {m['architecture'].get('ms_per_window_torch', '-')} | " + ' | '.join(f1) + ' |')
    return rows + ['']


if __name__ == '__main__':
    import sys
    with open(sys.argv[1]) as f:
        print(render(json.load(f)))
