#!/usr/bin/python3
"""Train Vigil's window classifier (fall / fire / smoke) from synthetic scenes plus the real clips' train split,
select on the val splits, evaluate, export ONNX with its model card and parity fixture.

  npm run model:train                       # the shipped recipe, CPU, about 55 min on 2 cores
  npm run model:train -- --epochs 1 --synthetic 400 --out /tmp/vigil-smoke   # a quick smoke run

Runs with Debian's /usr/bin/python3 (python3-torch, python3-onnx, python3-numpy); needs ffmpeg for the real clips.
"""
import argparse
import datetime
import json
import os
import platform
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
sys.path.insert(0, HERE)

from vigil_train import metrics as M  # noqa: E402
from vigil_train.data import WindowSet, read_manifest, real_windows, synthetic_windows  # noqa: E402
from vigil_train.export import IMAGENET_MEAN, IMAGENET_STD, export_onnx, file_size_mb, write_card  # noqa: E402
from vigil_train.model import VideoViT, VitConfig  # noqa: E402
from vigil_train.progress import Progress  # noqa: E402
from vigil_train.report import render as render_report  # noqa: E402


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default=os.path.join(REPO, 'libs', 'model', 'weights'), help='folder for the .onnx and its card')
    ap.add_argument('--name', default='vigil-vit-tiny')
    ap.add_argument('--clips', default=os.path.abspath(os.path.join(REPO, '..', 'shared', 'clips')),
                    help='real clips folder with manifest.tsv (train split trains, val split selects); "none" to skip')
    ap.add_argument('--cache', default=os.path.join(REPO, '.cache', 'training'))
    ap.add_argument('--synthetic', type=int, default=8000, help='synthetic training windows')
    ap.add_argument('--epochs', type=int, default=12)
    ap.add_argument('--per-epoch', type=int, default=6000, help='windows drawn per epoch')
    ap.add_argument('--real-share', type=float, default=0.35, help='share of each epoch drawn from real clips')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--lr', type=float, default=5e-4)
    ap.add_argument('--frames', type=int, default=8)
    ap.add_argument('--fps', type=float, default=4.0)
    ap.add_argument('--hop', type=int, default=2, help='frames between consecutive windows at inference')
    ap.add_argument('--size', type=int, default=96)
    ap.add_argument('--dim', type=int, default=96)
    ap.add_argument('--depth', type=int, default=4)
    ap.add_argument('--heads', type=int, default=4)
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--threads', type=int, default=2)
    return ap.parse_args()


MEAN = torch.tensor(IMAGENET_MEAN).view(1, 1, 3, 1, 1)
STD = torch.tensor(IMAGENET_STD).view(1, 1, 3, 1, 1)


def to_input(x_uint8: np.ndarray) -> torch.Tensor:
    """uint8 [B,T,H,W,3] -> normalised float [B,T,3,H,W], the same arithmetic as libs/model/src/preprocess.ts."""
    x = torch.from_numpy(x_uint8).permute(0, 1, 4, 2, 3).float() / 255.0
    return (x - MEAN) / STD


def augment(x: torch.Tensor, gen: torch.Generator, real: torch.Tensor) -> torch.Tensor:
    """Photometric and geometric jitter on a normalised batch; crops only on real clips (synthetic already varies)."""
    b = x.shape[0]
    flip = torch.rand(b, generator=gen) < 0.5
    x = torch.where(flip.view(b, 1, 1, 1, 1), x.flip(-1), x)
    gain = 1 + (torch.rand(b, 1, 1, 1, 1, generator=gen) - 0.5) * 0.5
    bias = (torch.rand(b, 1, 1, 1, 1, generator=gen) - 0.5) * 0.4
    chan = 1 + (torch.rand(b, 1, 3, 1, 1, generator=gen) - 0.5) * 0.12
    x = x * gain * chan + bias
    x = x + torch.randn(x.shape, generator=gen) * torch.rand(b, 1, 1, 1, 1, generator=gen) * 0.12
    if real.any():
        idx = torch.nonzero(real).flatten()
        size = x.shape[-1]
        for i in idx.tolist():
            s = float(0.75 + 0.25 * torch.rand(1, generator=gen))
            c = max(int(size * s), 8)
            oy, ox = [int(torch.randint(0, size - c + 1, (1,), generator=gen)) for _ in range(2)]
            crop = x[i, :, :, oy:oy + c, ox:ox + c]
            x[i] = F.interpolate(crop, size=(size, size), mode='bilinear', align_corners=False)
    return x


def masked_bce(logits: torch.Tensor, y: torch.Tensor, pos_weight: torch.Tensor) -> torch.Tensor:
    known = ~torch.isnan(y)
    target = torch.nan_to_num(y, 0.0)
    loss = F.binary_cross_entropy_with_logits(logits, target, reduction='none', pos_weight=pos_weight)
    return (loss * known).sum() / known.sum().clamp(min=1)


@torch.no_grad()
def predict(model: VideoViT, ws: WindowSet, batch: int = 64) -> np.ndarray:
    model.eval()
    out = []
    for i in range(0, len(ws), batch):
        out.append(torch.sigmoid(model(to_input(ws.x[i:i + batch]))).numpy())
    return np.concatenate(out) if out else np.zeros((0, 3), np.float32)


def epoch_indices(rng: np.random.Generator, syn: WindowSet, real: WindowSet | None, n: int, real_share: float):
    """Balanced draw: synthetic uniformly; real windows weighted so positives of each class and negatives share evenly."""
    n_real = int(n * real_share) if real is not None and len(real) else 0
    syn_idx = rng.choice(len(syn), n - n_real, replace=len(syn) < n - n_real)
    if not n_real:
        return [('s', i) for i in syn_idx]
    y = np.nan_to_num(real.y, nan=0.0)
    bucket = np.where(y[:, 0] > 0.5, 0, np.where(y[:, 1] > 0.5, 1, np.where(y[:, 2] > 0.5, 2, 3)))
    counts = np.bincount(bucket, minlength=4).astype(float)
    w = 1.0 / counts[bucket]
    real_idx = rng.choice(len(real), n_real, p=w / w.sum())
    items = [('s', i) for i in syn_idx] + [('r', i) for i in real_idx]
    rng.shuffle(items)
    return items


def evaluate(model, sets: dict, thresholds) -> dict:
    out = {}
    for name, ws in sets.items():
        if ws is None or not len(ws):
            continue
        s = predict(model, ws)
        out[name] = {'scores': s, 'prf': M.prf(s, ws.y, thresholds)}
    return out


def macro_f1(prf: dict) -> float:
    return float(np.mean([v['f1'] for v in prf.values() if v['positives'] > 0]))


def main() -> None:
    args = parse_args()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    np.seterr(all='ignore')
    t_start = time.time()
    os.makedirs(args.out, exist_ok=True)
    print(f'Vigil training recipe: {args.name}, {args.frames}x{args.size}x{args.size} @ {args.fps} fps, seed {args.seed}', flush=True)

    syn_train = synthetic_windows(args.synthetic, args.seed + 1, args.frames, args.fps, args.size, args.cache)
    syn_val = synthetic_windows(max(args.synthetic // 10, 100), args.seed + 2, args.frames, args.fps, args.size, args.cache)
    syn_test = synthetic_windows(max(args.synthetic // 6, 150), args.seed + 3, args.frames, args.fps, args.size, args.cache)
    real_train = real_val = None
    clip_classes = {}
    if args.clips != 'none' and os.path.exists(os.path.join(args.clips, 'manifest.tsv')):
        clips = read_manifest(args.clips)
        clip_classes = {os.path.relpath(c.file, args.clips): c.cls for c in clips}
        real_train = real_windows([c for c in clips if c.split == 'train'], args.frames, args.fps, args.size, args.hop, args.cache, 'train')
        real_val = real_windows([c for c in clips if c.split == 'val'], args.frames, args.fps, args.size, args.hop, args.cache, 'val')
        print(f'real clips: {len(real_train)} train windows, {len(real_val)} val windows', flush=True)
    else:
        print(f'no real clips at {args.clips}: training on synthetic data only', flush=True)

    cfg = VitConfig(frames=args.frames, size=args.size, dim=args.dim, depth=args.depth, heads=args.heads)
    model = VideoViT(cfg)
    print(f'model: {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M params, {cfg.macs() / 1e9:.3f} GMACs/window, {cfg.tokens} tokens', flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.05)
    steps = args.epochs * (args.per_epoch // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.1)
    all_y = np.concatenate([syn_train.y] + ([real_train.y] if real_train is not None else []))
    pos = np.nansum(all_y, 0)
    neg = np.sum(~np.isnan(all_y), 0) - pos
    pos_weight = torch.tensor(np.clip(neg / np.maximum(pos, 1), 1, 4), dtype=torch.float32)
    gen = torch.Generator().manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    best, best_state, history = -1.0, None, []
    val_sets = {'synthetic_val': syn_val, 'real_val': real_val}
    for epoch in range(args.epochs):
        model.train()
        items = epoch_indices(rng, syn_train, real_train, args.per_epoch, args.real_share)
        bar = Progress(len(items) // args.batch, f'epoch {epoch + 1}/{args.epochs}')
        losses = []
        for b in range(len(items) // args.batch):
            chunk = items[b * args.batch:(b + 1) * args.batch]
            xb = np.stack([(syn_train if s == 's' else real_train).x[i] for s, i in chunk])
            yb = np.stack([(syn_train if s == 's' else real_train).y[i] for s, i in chunk])
            is_real = torch.tensor([s == 'r' for s, _ in chunk])
            x = augment(to_input(xb), gen, is_real)
            loss = masked_bce(model(x), torch.from_numpy(yb), pos_weight)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            losses.append(float(loss))
            bar.update(1, f'loss {np.mean(losses[-50:]):.3f}')
        bar.close()
        ev = evaluate(model, val_sets, [0.5] * 3)
        score = float(np.mean([macro_f1(v['prf']) for v in ev.values()]))
        history.append({'epoch': epoch + 1, 'loss': round(float(np.mean(losses)), 4), 'val_macro_f1': round(score, 4),
                        **{k: {c: m['f1'] for c, m in v['prf'].items()} for k, v in ev.items()}})
        print(json.dumps(history[-1]), flush=True)
        if score >= best:
            best, best_state = score, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)

    # thresholds are chosen on the validation splits only, then frozen for the test split
    val_scores = np.concatenate([predict(model, ws) for ws in val_sets.values() if ws is not None])
    val_labels = np.concatenate([ws.y for ws in val_sets.values() if ws is not None])
    thresholds = M.best_thresholds(val_scores, val_labels)
    report_sets = {'synthetic_test': syn_test, 'real_val': real_val}
    results = evaluate(model, report_sets, thresholds)
    metrics = {k: {'windows': v['prf'], 'confusion': M.confusion(v['scores'], report_sets[k].y, thresholds)} for k, v in results.items()}
    if real_val is not None:
        metrics['real_val']['clips'] = M.clip_events(results['real_val']['scores'], real_val.group, clip_classes, thresholds)

    onnx_file = f'{args.name}.onnx'
    parity = export_onnx(model, os.path.join(args.out, onnx_file))
    torch.save({'config': cfg.to_dict(), 'state_dict': model.state_dict()}, os.path.join(args.cache, f'{args.name}.pt'))
    training = {
        'recipe': 'libs/model/training/train.py', 'command': ' '.join(['npm run model:train --'] + sys.argv[1:]),
        'date': datetime.date.today().isoformat(), 'seed': args.seed, 'epochs': args.epochs, 'history': history,
        'data': {'synthetic_train': len(syn_train), 'synthetic_val': len(syn_val), 'synthetic_test': len(syn_test),
                 'real_train_windows': len(real_train) if real_train is not None else 0,
                 'real_val_windows': len(real_val) if real_val is not None else 0,
                 'real_clips': args.clips if real_train is not None else None},
        'machine': f'{platform.machine()} {os.cpu_count()} cpu, torch {torch.__version__}, {args.threads} threads',
        'minutes': round((time.time() - t_start) / 60, 1),
        'selection': 'best epoch by mean macro-F1 on synthetic_val and real_val at 0.5; thresholds by F0.5 on the same val windows',
    }
    card = write_card(os.path.join(args.out, f'{args.name}.card.json'), name=args.name, onnx_file=onnx_file, cfg=cfg, fps=args.fps,
                      hop=args.hop, thresholds=thresholds, parity=parity, metrics=metrics, training=training)
    with open(os.path.join(args.out, f'{args.name}.report.md'), 'w') as f:
        f.write(render_report(card))
    print(json.dumps({'thresholds': thresholds, 'metrics': metrics}, indent=1))
    print(f'wrote {os.path.join(args.out, onnx_file)} ({file_size_mb(os.path.join(args.out, onnx_file))} MB) and its card in {training["minutes"]} min')


if __name__ == '__main__':
    main()
