#!/usr/bin/python3
"""Join window models trained apart into one graph that returns their mean logit, so the agent runs an ensemble
as it runs any window model (one session, one card, the same providers).

  /usr/bin/python3 libs/model/training/ensemble.py libs/model/weights/vigil-vit-tiny.card.json \
      .cache/training/seed2/vigil-vit-tiny.card.json --name vigil-vit-tiny --out .cache/ensemble

Members must take the same input (frames, size, normalisation) and score the same labels. The card is the first
member's, with the members' training recorded and a parity fixture that is the mean of the members' own fixtures
(every window model's fixture is scored on the same deterministic input, export.parity_input). Thresholds are the
first member's until `npm run eval -- ... --budget 1 --write-card` chooses the ensemble's own.
"""
import argparse
import hashlib
import json
import os
import sys
from datetime import date

import numpy as np
import onnx
import onnx.version_converter
from onnx import compose, helper, numpy_helper

SAME = ('input', 'labels', 'output', 'eventKinds', 'window')
MEMBER_ONLY = ('training', 'calibration', 'metrics', 'streaming', 'variants', 'teacher')


def fail(message: str) -> None:
    print(f'ensemble: {message}', file=sys.stderr)
    sys.exit(2)


def load_member(card_path: str) -> tuple[dict, bytes]:
    """A member's card and the bytes of its graph (hashed as the file is, loaded once for the merge)."""
    if not os.path.isfile(card_path):
        fail(f'{card_path}: no such card; give the .card.json written beside each member ONNX file')
    card = json.load(open(card_path))
    graph = os.path.join(os.path.dirname(card_path), card.get('file', ''))
    if not os.path.isfile(graph):
        fail(f'{card_path}: its file {card.get("file")!r} is not beside it')
    if card.get('input', {}).get('name') != 'pixel_values' or card.get('output', {}).get('name') != 'logits':
        fail(f'{card_path}: only window graphs (input pixel_values, output logits) can be joined')
    with open(graph, 'rb') as f:
        return card, f.read()


def merge(models: list[onnx.ModelProto]) -> onnx.ModelProto:
    """One graph: every member reads the same pixel_values; logits = sum of member logits / N."""
    opset = max(op.version for m in models for op in m.opset_import if op.domain in ('', 'ai.onnx'))
    nodes, inits, value_info = [], [], []
    for k, model in enumerate(models):
        model = onnx.version_converter.convert_version(model, opset) if model.opset_import[0].version != opset else model
        prefixed = compose.add_prefix(model, prefix=f'm{k}_')
        g = prefixed.graph
        prefixed_input = g.input[0].name
        for node in g.node:
            node.input[:] = ['pixel_values' if i == prefixed_input else i for i in node.input]
        nodes.extend(g.node)
        inits.extend(g.initializer)
        value_info.extend(g.value_info)
    total = models[0].graph.output[0].name + '_sum'
    member_logits = [f'm{k}_{models[k].graph.output[0].name}' for k in range(len(models))]
    nodes.append(helper.make_node('Sum', member_logits, [total], name='ensemble_sum'))
    inits.append(numpy_helper.from_array(np.array(1.0 / len(models), dtype=np.float32), 'ensemble_scale'))
    nodes.append(helper.make_node('Mul', [total, 'ensemble_scale'], ['logits'], name='ensemble_mean'))
    graph = helper.make_graph(nodes, 'vigil_window_ensemble', [models[0].graph.input[0]], [models[0].graph.output[0]],
                              initializer=inits, value_info=value_info)
    merged = helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset)], producer_name='vigil-ensemble')
    merged.ir_version = models[0].ir_version
    onnx.checker.check_model(merged)
    return merged


def member_record(card_path: str, card: dict, graph: bytes) -> dict:
    training = card.get('training', {})
    chosen = [row for row in training.get('history', {}).get('window', []) if row.get('selected')]
    return {'name': card['name'], 'card': card_path, 'sha256': hashlib.sha256(graph).hexdigest(),
            'command': training.get('command'), 'date': training.get('date'), 'seed': training.get('seed'),
            'kept_epoch': chosen[-1]['epoch'] if chosen else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('cards', nargs='+', help='member model cards (.card.json), two or more')
    ap.add_argument('--name', required=True, help='name of the joined model; its files are <out>/<name>.onnx/.card.json')
    ap.add_argument('--out', required=True, help='folder to write the joined model and card to')
    args = ap.parse_args()
    if len(args.cards) < 2:
        fail('give two or more member cards')
    members = [load_member(p) for p in args.cards]
    first = members[0][0]
    for path, (card, _) in zip(args.cards[1:], members[1:]):
        for key in SAME:
            if card.get(key) != first.get(key):
                fail(f'{path}: its {key} differs from {args.cards[0]}; members must take the same windows and labels')
        if card['parity'].get('input') != first['parity'].get('input') or card['parity'].get('batch') != first['parity'].get('batch'):
            fail(f'{path}: its parity fixture was scored on another input; re-export it with this recipe')
    merged = merge([onnx.load_from_string(graph) for _, graph in members])
    os.makedirs(args.out, exist_ok=True)
    onnx_file = f'{args.name}.onnx'
    onnx.save(merged, os.path.join(args.out, onnx_file))
    logits = np.mean([np.array(card['parity']['logits'], dtype=np.float64) for card, _ in members], axis=0)
    card = {k: v for k, v in first.items() if k not in MEMBER_ONLY}
    card.update({
        'name': args.name,
        'file': onnx_file,
        'architecture': {'type': 'mean-logit ensemble', 'members': [c.get('architecture') for c, _ in members]},
        'parity': {**first['parity'], 'logits': [[round(float(v), 6) for v in row] for row in logits]},
        'training': {
            'recipe': 'libs/model/training/ensemble.py',
            'command': ' '.join(['/usr/bin/python3', 'libs/model/training/ensemble.py', *args.cards, '--name', args.name, '--out', args.out]),
            'date': date.today().isoformat(),
            'members': [member_record(p, c, graph) for p, (c, graph) in zip(args.cards, members)],
        },
    })
    with open(os.path.join(args.out, f'{args.name}.card.json'), 'w') as f:
        json.dump(card, f, indent=2)
        f.write('\n')
    size = os.path.getsize(os.path.join(args.out, onnx_file)) / 1e6
    print(f'ensemble: {len(members)} members -> {os.path.join(args.out, onnx_file)} ({size:.1f} MB) and its card')


if __name__ == '__main__':
    main()
