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
        f"{arch['type']}, {arch['attention']} attention: input {card['input']['frames']} frames x {card['input']['height']}x{card['input']['width']} "
        f"at {card['input']['fps']} fps ({card['input']['frames'] / card['input']['fps']:g} s windows, hop {card['window']['hop']} frames), "
        f"tubelets {'x'.join(str(v) for v in arch['tubelet'])}, width {arch['dim']}, depth {arch['depth']}, {arch['heads']} heads, "
        f"{'RGB + frame-difference' if arch.get('motion') else 'RGB'} tubelet channels, {arch.get('pool', 'mean')} pooling, "
        f"{arch['gmacs_per_window']} GMACs per window. Output: independent sigmoid scores for {', '.join(card['labels'])}.",
        '',
        'Thresholds chosen on the validation windows (F1-optimal per class, 0.30-0.90): '
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
    lines += ['## Training history', '', '| epoch | loss | val macro F1 |', '|---|---|---|']
    for h in tr['history']:
        lines.append(f"| {h['epoch']} | {h['loss']} | {h['val_macro_f1']} |")
    lines.append('')
    return '\n'.join(lines)


if __name__ == '__main__':
    import sys
    with open(sys.argv[1]) as f:
        print(render(json.load(f)))
