#!/usr/bin/python3
"""Crops and tiles for the window model (issue 14, item 3): does it rank fire and smoke windows of cameras the
training never saw better when it also sees zoomed parts of the picture?

  /usr/bin/python3 libs/model/training/probes/views_probe.py ../shared/clips [--card libs/model/weights/vigil-vit-tiny.card.json] [--decode 256]

Val windows are decoded at --decode pixels (squashed, as the agent squashes to the model size) and cut into
views, each resized (area) to the model's input: the whole picture, its four quadrants (a 2×2 tile grid, twice
the pixels per object) and the centre 75 % (a crop inside the training augmentation's range). The agent's own
input (decoded straight at the model size) is the baseline. Window average precision per class for every view and
for the ways of joining views a graph could compute (max or mean of logits); the model's work per window grows
with the number of views. Labels as the recipe's real val windows (vigil_train.data.real_windows).
"""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from vigil_train.data import read_manifest, real_windows  # noqa: E402
from vigil_train.export import import_window_onnx  # noqa: E402
from vigil_train.loop import to_input  # noqa: E402
from vigil_train.metrics import CLASSES, average_precision  # noqa: E402
from vigil_train.progress import Progress  # noqa: E402

QUADRANTS = ['top left', 'top right', 'bottom left', 'bottom right']


def views(x: torch.Tensor, size: int) -> dict:
    """[B,T,3,H,W] at the decode size -> name: [B,T,3,size,size]."""
    b, t = x.shape[:2]
    frames = x.flatten(0, 1)
    side = frames.shape[-1]
    half, centre = side // 2, int(side * 0.75)
    margin = (side - centre) // 2
    cuts = {'whole picture': (0, 0, side)}
    cuts.update({name: (oy, ox, half) for name, (oy, ox) in zip(QUADRANTS, [(0, 0), (0, half), (half, 0), (half, half)])})
    cuts['centre 75 %'] = (margin, margin, centre)
    return {name: F.interpolate(frames[:, :, oy:oy + c, ox:ox + c], size=(size, size), mode='area').view(b, t, 3, size, size)
            for name, (oy, ox, c) in cuts.items()}


@torch.no_grad()
def view_logits(model, big, small, size: int, batch: int = 32) -> dict:
    out: dict = {}
    bar = Progress(len(big), 'score val windows, 7 views')
    for i in range(0, len(big), batch):
        for name, v in views(to_input(big.x[i:i + batch]), size).items():
            out.setdefault(name, []).append(model(v).numpy())
        out.setdefault('agent input (decoded at the model size)', []).append(model(to_input(small.x[i:i + batch])).numpy())
        bar.update(min(batch, len(big) - i))
    bar.close()
    return {k: np.concatenate(v) for k, v in out.items()}


def joined(logits: dict) -> dict:
    whole, centre = logits['whole picture'], logits['centre 75 %']
    tiles = [logits[q] for q in QUADRANTS]
    return {
        'max of whole and 4 tiles (5 views)': np.max([whole, *tiles], 0),
        'mean of whole and 4 tiles (5 views)': np.mean([whole, *tiles], 0),
        'mean of whole and max of 4 tiles (5 views)': (whole + np.max(tiles, 0)) / 2,
        'max of whole and centre (2 views)': np.maximum(whole, centre),
        'mean of whole and centre (2 views)': (whole + centre) / 2,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('clips', help='folder with manifest.tsv (its val split is scored)')
    ap.add_argument('--card', default='libs/model/weights/vigil-vit-tiny.card.json')
    ap.add_argument('--decode', type=int, default=256, help='decode size the views are cut from (default 256)')
    ap.add_argument('--cache', default='.cache/training', help="decoded windows (the recipe's cache: its val windows at the model size are reused)")
    args = ap.parse_args()
    torch.set_num_threads(2)
    try:
        model, card = import_window_onnx(args.card)
        clips = [c for c in read_manifest(os.path.abspath(args.clips)) if c.split == 'val']
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f'views_probe: {e}')
    size, frames, fps, hop = model.cfg.size, model.cfg.frames, float(card['input']['fps']), int(card['window']['hop'])
    big = real_windows(clips, frames, fps, args.decode, hop, args.cache, 'val')
    small = real_windows(clips, frames, fps, size, hop, args.cache, 'val')
    logits = view_logits(model, big, small, size)
    rows = {**logits, **joined(logits)}
    print(f'\n{len(big)} val windows from {len(clips)} clips; {os.path.basename(args.card)} at {size}×{size}, views cut from {args.decode}×{args.decode}\n')
    print('| view | ' + ' | '.join(f'window AP {c}' for c in CLASSES) + ' |')
    print('|---|' + '---|' * len(CLASSES))
    for name, s in rows.items():
        print(f'| {name} | ' + ' | '.join(f'{average_precision(s[:, i], big.y[:, i]):.3f}' for i in range(len(CLASSES))) + ' |')


if __name__ == '__main__':
    main()
