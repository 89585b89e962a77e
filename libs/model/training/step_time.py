"""Seconds per training step of the window model at several input sizes, to price a resolution before training it.

  npm run model:step-time -- 128/16 160/20 160/16      # input/tubelet side; 16 windows per step as the recipe

One step is what `fit()` does per batch: uint8 frames to the normalised input, augmentation (crops on half the
batch, as on real clips), forward, the masked loss and `optimise()` (backward, gradient clipping, AdamW, the
one-cycle schedule). Random pixels and labels: the cost does not depend on them. `--stage mae` times a masked
pretraining step instead (32 windows, 90 % of the tubes hidden). `--malloc system` leaves glibc's memory settings
as they are, the baseline for the recipe's `keep_freed_memory()`:

  npm run model:step-time -- 128/16 --malloc system; npm run model:step-time -- 128/16
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vigil_train.loop import augment, masked_bce, optimise, to_input  # noqa: E402
from vigil_train.mae import MaskedAutoencoder  # noqa: E402
from vigil_train.memory import keep_freed_memory  # noqa: E402
from vigil_train.model import VideoViT, window_model_config  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('shapes', nargs='*', default=['128/16', '160/20', '160/16'], help='size/tubelet side, e.g. 160/20')
    ap.add_argument('--stage', choices=['window', 'mae'], default='window', help='a supervised step or a masked pretraining step')
    ap.add_argument('--malloc', choices=['keep', 'system'], default='keep', help="keep: the recipe's memory settings; system: glibc's defaults")
    ap.add_argument('--batch', type=int, default=None, help='windows per step (default 16, 32 for mae)')
    ap.add_argument('--frames', type=int, default=8)
    ap.add_argument('--steps', type=int, default=5, help='timed steps after 2 warm-up steps')
    ap.add_argument('--threads', type=int, default=2)
    args = ap.parse_args()
    args.batch = args.batch or (32 if args.stage == 'mae' else 16)
    kept = args.malloc == 'keep' and keep_freed_memory()
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    base = None
    memory = "freed memory kept (the recipe's setting)" if kept else "glibc's default memory settings"
    print(f'{args.stage} step: {args.batch} windows of {args.frames} frames, {args.threads} threads, mean of {args.steps} steps, {memory}')
    print('input/tubelet  tokens  input+augment  model  step  ratio')
    for shape in args.shapes:
        try:
            size, patch = (int(v) for v in shape.split('/'))
        except ValueError:
            raise SystemExit(f'step-time: "{shape}" is not size/tubelet, e.g. 160/20')
        if size % patch:
            raise SystemExit(f'step-time: {size} is not a multiple of the tubelet side {patch}')
        cfg = window_model_config(args.frames, size, patch)
        model = VideoViT(cfg)
        mae = MaskedAutoencoder(model) if args.stage == 'mae' else None
        trained = mae if mae is not None else model
        opt = torch.optim.AdamW(trained.parameters(), 5e-4, weight_decay=0.05)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-4, total_steps=args.steps + 2)
        gen = torch.Generator().manual_seed(0)
        frames = rng.integers(0, 255, (args.batch, args.frames, size, size, 3), dtype=np.uint8)
        labels = torch.from_numpy(rng.integers(0, 2, (args.batch, cfg.classes)).astype(np.float32))
        real = torch.arange(args.batch) % 2 == 0
        spent = np.zeros(2)
        for step in range(args.steps + 2):
            t0 = time.perf_counter()
            x = augment(to_input(frames), gen, real)
            t1 = time.perf_counter()
            loss = mae(x, gen) if mae is not None else masked_bce(model(x), labels, torch.ones(cfg.classes))
            optimise(loss, trained.parameters(), opt, sched)
            if step >= 2:
                spent += [t1 - t0, time.perf_counter() - t1]
        a, m = spent / args.steps
        base = base or a + m
        print(f'{size}/{patch:<12} {cfg.tokens:>6}  {a:>11.2f} s  {m:.2f} s  {a + m:.2f} s  {(a + m) / base:.2f}', flush=True)


if __name__ == '__main__':
    main()
