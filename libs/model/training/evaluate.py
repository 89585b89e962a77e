#!/usr/bin/python3
"""Re-evaluate a trained checkpoint: choose thresholds on the val splits, measure the test splits, rewrite the card
and report beside the .onnx (the ONNX graph itself is not touched).

  /usr/bin/python3 libs/model/training/evaluate.py [--out libs/model/weights] [--name vigil-vit-tiny]
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import train as T  # noqa: E402
from vigil_train import loop as L  # noqa: E402
from vigil_train import metrics as M  # noqa: E402
from vigil_train.data import read_manifest, real_windows, synthetic_windows  # noqa: E402
from vigil_train.model import VideoViT, VitConfig  # noqa: E402
from vigil_train.report import render  # noqa: E402


def evaluate_checkpoint(model: VideoViT, card: dict, args) -> dict:
    tr = card['training']
    cfg = model.cfg
    seed = tr['seed']
    n = tr['data']['synthetic_train']
    syn_val = synthetic_windows(max(n // 10, 100), seed + 2, cfg.frames, card['input']['fps'], cfg.size, args.cache)
    syn_test = synthetic_windows(max(n // 6, 150), seed + 3, cfg.frames, card['input']['fps'], cfg.size, args.cache)
    real_val, clip_classes = None, {}
    clips_dir = tr['data'].get('real_clips')
    if clips_dir and os.path.exists(os.path.join(clips_dir, 'manifest.tsv')):
        clips = read_manifest(clips_dir)
        clip_classes = {os.path.relpath(c.file, clips_dir): c.cls for c in clips}
        real_val = real_windows([c for c in clips if c.split == 'val'], cfg.frames, card['input']['fps'], cfg.size, card['window']['hop'], args.cache, 'val')
    val_sets = [ws for ws in (syn_val, real_val) if ws is not None]
    scores = {id(ws): L.predict(model, ws) for ws in [syn_val, syn_test] + ([real_val] if real_val is not None else [])}
    thresholds = M.best_thresholds(np.concatenate([scores[id(ws)] for ws in val_sets]), np.concatenate([ws.y for ws in val_sets]))
    metrics = {}
    for name, ws in (('synthetic_test', syn_test), ('real_val', real_val)):
        if ws is None:
            continue
        s = scores[id(ws)]
        metrics[name] = {'windows': M.prf(s, ws.y, thresholds), 'confusion': M.confusion(s, ws.y, thresholds)}
        if name == 'real_val':
            metrics[name]['clips'] = M.clip_events(s, ws.group, clip_classes, thresholds)
    return {'thresholds': thresholds, 'metrics': metrics}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default=os.path.join(T.REPO, 'libs', 'model', 'weights'))
    ap.add_argument('--name', default='vigil-vit-tiny')
    ap.add_argument('--cache', default=os.path.join(T.REPO, '.cache', 'training'))
    args = ap.parse_args()
    torch.set_num_threads(2)
    card_path = os.path.join(args.out, f'{args.name}.card.json')
    with open(card_path) as f:
        card = json.load(f)
    ckpt = torch.load(os.path.join(args.cache, f'{args.name}.pt'))
    cfg_dict = dict(ckpt['config'])
    cfg_dict['tubelet'] = tuple(cfg_dict['tubelet'])
    model = VideoViT(VitConfig(**cfg_dict))
    model.load_state_dict(ckpt['state_dict'])
    result = evaluate_checkpoint(model, card, args)
    card['thresholds'] = dict(zip(card['labels'], result['thresholds']))
    card['metrics'] = result['metrics']
    card['training']['selection'] = 'best epoch by mean macro-F1 on synthetic_val and real_val at 0.5; thresholds by F0.5 on the same val windows'
    with open(card_path, 'w') as f:
        json.dump(card, f, indent=2)
        f.write('\n')
    with open(os.path.join(args.out, f'{args.name}.report.md'), 'w') as f:
        f.write(render(card))
    print(json.dumps({'thresholds': card['thresholds'], 'metrics': {k: v['windows'] for k, v in result['metrics'].items()}}, indent=1))


if __name__ == '__main__':
    main()
