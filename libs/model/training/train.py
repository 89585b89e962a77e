#!/usr/bin/python3
"""Train Vigil's fall / fire / smoke models from synthetic scenes plus the real clips' train split, select on the val
splits, evaluate, export ONNX with model cards and parity fixtures.

  npm run model:train                      # the shipped recipe: MAE pretraining -> teacher -> streaming student
  npm run model:train -- --recipe window   # the joint-attention window model alone (vigil-vit-tiny)
  npm run model:train -- --quick --out /tmp/vigil-smoke   # minutes, to check the recipe runs end to end

Recipe `distill` (default), about 45 min on 2 cores:
  1. masked pretraining (VideoMAE, 90 % tube masking) of the teacher's encoder on unlabeled windows
  2. the teacher (joint space-time ViT) fine-tuned on the labels
  3. the streaming student (per-frame encoder + temporal transformer, < 1/4 of the teacher's MACs) trained on the
     labels and on the teacher's scores for the same augmented view
Runs with Debian's /usr/bin/python3 (python3-torch, python3-onnx, python3-numpy); needs ffmpeg for the real clips.
"""
import argparse
import copy
import datetime
import json
import os
import sys
import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
sys.path.insert(0, HERE)

from vigil_train import metrics as M  # noqa: E402
from vigil_train.data import WindowSet, read_manifest, real_windows, synthetic_windows  # noqa: E402
from vigil_train.export import export_fp16, export_onnx, export_streaming, file_size_mb, write_card  # noqa: E402
from vigil_train.loop import CROP_MIN, augment, epoch_indices, evaluate, macro_f1, masked_bce, optimise, predict, to_input  # noqa: E402
from vigil_train.mae import MaskedAutoencoder  # noqa: E402
from vigil_train.machine import describe as describe_machine  # noqa: E402
from vigil_train.memory import keep_freed_memory  # noqa: E402
from vigil_train.model import StreamingConfig, StreamingStudent, VideoViT, VitConfig, window_model_config  # noqa: E402
from vigil_train.paste import FirePaste  # noqa: E402
from vigil_train.pose_teacher import MAP_FLIP, MIN_SEEN, SEEN, PoseTeaching, window_keypoints  # noqa: E402
from vigil_train.progress import Progress  # noqa: E402
from vigil_train.report import render as render_report  # noqa: E402


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--recipe', choices=['distill', 'window', 'pose'], default='distill')
    ap.add_argument('--out', default=os.path.join(REPO, 'libs', 'model', 'weights'), help='folder for the .onnx files and cards')
    ap.add_argument('--name', default=None, help='model name (default vigil-stream-tiny or vigil-vit-tiny by recipe)')
    ap.add_argument('--clips', default=os.path.abspath(os.path.join(REPO, '..', 'shared', 'clips')),
                    help='real clips folder with manifest.tsv (train split trains, val split selects); "none" to skip')
    ap.add_argument('--cache', default=os.path.join(REPO, '.cache', 'training'))
    ap.add_argument('--synthetic', type=int, default=8000, help='synthetic training windows')
    ap.add_argument('--epochs', type=int, default=12, help='epochs of the window recipe')
    ap.add_argument('--mae-steps', type=int, default=None,
                    help='masked pretraining steps of batch 32 before the labels (default 400 for distill, 0 for window)')
    ap.add_argument('--mask-ratio', type=float, default=0.9)
    ap.add_argument('--teacher-epochs', type=int, default=3, help='teacher fine-tune epochs (3 keeps the recipe under an hour on 2 cores)')
    ap.add_argument('--student-epochs', type=int, default=4)
    ap.add_argument('--kd-alpha', type=float, default=0.5, help='weight of the distillation loss against the label loss')
    ap.add_argument('--kd-temperature', type=float, default=2.0)
    ap.add_argument('--per-epoch', type=int, default=6000, help='windows drawn per epoch')
    ap.add_argument('--real-share', type=float, default=0.5, help='share of each epoch drawn from real clips (sources weighed evenly)')
    ap.add_argument('--paste-fire', type=float, default=0.0,
                    help='share of real windows without events that get flames pasted from a fire clip of another source (vigil_train/paste.py)')
    ap.add_argument('--pose-distill', type=float, default=0.0,
                    help='window recipe: weight of the pose teacher loss (person box and keypoint maps from the pose model on every real '
                         'training frame, vigil_train/pose_teacher.py) on the window model tokens; 0 turns it off')
    ap.add_argument('--crop-min', type=float, default=CROP_MIN, help='smallest random crop of a real window, as a share of its side')
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--lr', type=float, default=5e-4)
    ap.add_argument('--frames', type=int, default=8)
    ap.add_argument('--fps', type=float, default=4.0)
    ap.add_argument('--hop', type=int, default=2, help='frames between consecutive windows at inference')
    ap.add_argument('--size', type=int, default=96)
    ap.add_argument('--patch', type=int, default=16, help='window recipe: tubelet side in pixels (size / patch tokens per row)')
    ap.add_argument('--seed', type=int, default=1234)
    ap.add_argument('--ema', type=float, default=0.0,
                    help='decay of an exponential moving average of the weights (e.g. 0.998); each epoch selects between the trained and the averaged weights')
    ap.add_argument('--select', choices=['f1', 'ap'], default='f1',
                    help='epoch selection on real_val: macro-F1 at 0.5 over the classes, or mean window average precision over --select-classes')
    ap.add_argument('--select-classes', default='fall,fire,smoke', help='classes the selection scores (the agent takes falls from the pose stage)')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--quick', action='store_true', help='tiny data and step counts: checks the recipe, not the model')
    ap.add_argument('--keypoints', default=None, help='pose recipe: keypoints of the clips from scripts/pose-label (made when missing)')
    ap.add_argument('--pose-epochs', type=int, default=12)
    ap.add_argument('--pose-seeds', type=int, default=5, help='pose-fall models trained from different seeds and averaged')
    ap.add_argument('--pose-picture', type=int, default=384, help='pose recipe: letterboxed picture size the keypoints are taken from')
    ap.add_argument('--pose-tracking', choices=['crop', 'none'], default='crop', help='pose recipe: follow the person with a crop of the pose model size')
    ap.add_argument('--pose-synthetic', type=int, default=40, help='synthetic fall and normal clips each (320x180 and 640x360 in turn) added to the pose-fall training')
    args = ap.parse_args()
    if args.mae_steps is None:
        args.mae_steps = 400 if args.recipe == 'distill' else 0
    if args.mae_steps < 0:
        ap.error(f'--mae-steps {args.mae_steps}: give a number of steps, 0 or more (0 skips masked pretraining)')
    if args.quick:
        args.synthetic, args.per_epoch, args.mae_steps, args.epochs = 400, 160, min(args.mae_steps, 4), 1
        args.teacher_epochs, args.student_epochs, args.pose_epochs = 1, 1, 2
    args.select_classes = [c.strip() for c in args.select_classes.split(',')]
    unknown = [c for c in args.select_classes if c not in M.CLASSES]
    if unknown:
        ap.error(f'--select-classes: {",".join(unknown)} is not a class; use a comma-separated subset of {",".join(M.CLASSES)}')
    if not 0.1 <= args.crop_min <= 1:
        ap.error(f'--crop-min {args.crop_min}: give a share of the picture side in [0.1, 1], e.g. {CROP_MIN} (1 turns crops off)')
    if not 0 <= args.paste_fire <= 1:
        ap.error(f'--paste-fire {args.paste_fire}: give a share in [0, 1], e.g. 0.3 (0 pastes nothing)')
    if args.pose_distill < 0:
        ap.error(f'--pose-distill {args.pose_distill}: give a loss weight, 0 or more (0 turns the pose teacher off)')
    if args.pose_distill and args.recipe != 'window':
        ap.error('--pose-distill teaches the window model: use it with --recipe window')
    if not 0 <= args.ema < 1:
        ap.error(f'--ema {args.ema}: the decay must be in [0, 1), e.g. 0.998 (0 turns the average off)')
    args.name = args.name or {'distill': 'vigil-stream-tiny', 'window': 'vigil-vit-tiny', 'pose': 'vigil-pose-fall'}[args.recipe]
    return args


@dataclass
class Data:
    syn_train: WindowSet
    syn_val: WindowSet
    syn_test: WindowSet
    real_train: WindowSet | None
    real_val: WindowSet | None
    clip_classes: dict
    pose_labels: tuple | None = None   # the pose teacher's ([N, T, 17, 3] keypoints per real train window, [N] labelled)

    @property
    def val_sets(self) -> dict:
        return {'synthetic_val': self.syn_val, 'real_val': self.real_val}

    @property
    def report_sets(self) -> dict:
        return {'synthetic_test': self.syn_test, 'real_val': self.real_val}

    def sizes(self, clips: str) -> dict:
        return {'synthetic_train': len(self.syn_train), 'synthetic_val': len(self.syn_val), 'synthetic_test': len(self.syn_test),
                'real_train_windows': len(self.real_train) if self.real_train is not None else 0,
                'real_val_windows': len(self.real_val) if self.real_val is not None else 0,
                'real_clips': clips if self.real_train is not None else None}


def load_data(args) -> Data:
    f, fps, s, c = args.frames, args.fps, args.size, args.cache
    syn_train = synthetic_windows(args.synthetic, args.seed + 1, f, fps, s, c)
    syn_val = synthetic_windows(max(args.synthetic // 10, 100), args.seed + 2, f, fps, s, c)
    syn_test = synthetic_windows(max(args.synthetic // 6, 150), args.seed + 3, f, fps, s, c)
    real_train = real_val = None
    clip_classes = {}
    if args.clips != 'none' and os.path.exists(os.path.join(args.clips, 'manifest.tsv')):
        clips = read_manifest(args.clips)
        clip_classes = {os.path.relpath(x.file, args.clips): x.cls for x in clips}
        real_train = real_windows([x for x in clips if x.split == 'train'], f, fps, s, args.hop, c, 'train')
        real_val = real_windows([x for x in clips if x.split == 'val'], f, fps, s, args.hop, c, 'val')
        print(f'real clips: {len(real_train)} train windows, {len(real_val)} val windows', flush=True)
    else:
        print(f'no real clips at {args.clips}: training on synthetic data only', flush=True)
    data = Data(syn_train, syn_val, syn_test, real_train, real_val, clip_classes)
    if args.pose_distill:
        if real_train is None:
            raise SystemExit('--pose-distill needs the real clips (--clips): the pose teacher labels their frames')
        from vigil_train.pose_fall import load_keypoints
        keypoints, _ = load_keypoints(label_keypoints(args))
        kp, known = window_keypoints(real_train, [x for x in clips if x.split == 'train'], keypoints, args.pose_picture, f, args.hop)
        people = (kp[known][..., 2] >= SEEN).sum(-1) >= MIN_SEEN
        print(f'pose teacher: {known.sum()} of {len(known)} real train windows labelled, a person in {people.mean():.0%} of their frames', flush=True)
        data.pose_labels = (kp, known)
    return data


def label_keypoints(args) -> str:
    """Every frame of the clips labelled by the pose model as the agent runs it (scripts/pose-label, which resumes);
    returns the keypoints file."""
    import subprocess
    keypoints_file = args.keypoints or os.path.join(args.cache, f'pose-keypoints-{args.pose_picture}-{args.pose_tracking}.json')
    script = os.path.join(REPO, 'dist', 'scripts', 'pose-label.js')
    if not os.path.exists(script):
        raise SystemExit(f'{script} is missing: run `npm run build` first (the pose model runs in onnxruntime-node)')
    subprocess.run(['node', script, args.clips, '--out', keypoints_file, *pose_label_flags(args)], check=True)
    return keypoints_file


def pose_label_flags(args) -> list:
    return ['--fps', str(args.fps), '--threads', str(args.threads), '--picture', str(args.pose_picture), '--tracking', args.pose_tracking]


def batches(data: Data, args, rng: np.random.Generator, paste: FirePaste | None = None):
    """Batches of (frames, labels, which are real, the real train window index or -1)."""
    items = epoch_indices(rng, data.syn_train, data.real_train, args.per_epoch, args.real_share)
    for b in range(len(items) // args.batch):
        chunk = items[b * args.batch:(b + 1) * args.batch]
        xs, ys = [], []
        for s, i in chunk:
            ws = data.syn_train if s == 's' else data.real_train
            x, y = ws.x[i], ws.y[i]
            if paste is not None and s == 'r' and paste.wants(i, y):
                x, y = paste(i, x, y)
            xs.append(x)
            ys.append(y)
        yield np.stack(xs), np.stack(ys), torch.tensor([s == 'r' for s, _ in chunk]), np.array([i if s == 'r' else -1 for s, i in chunk])


def pretrain_mae(encoder: VideoViT, data: Data, args) -> list:
    """Stage 1: masked reconstruction on windows whose labels are not used."""
    mae = MaskedAutoencoder(encoder, mask_ratio=args.mask_ratio)
    opt = torch.optim.AdamW(mae.parameters(), lr=1.5e-3, weight_decay=0.05, betas=(0.9, 0.95))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.5e-3, total_steps=max(args.mae_steps, 20), pct_start=0.1)
    gen = torch.Generator().manual_seed(args.seed + 10)
    rng = np.random.default_rng(args.seed + 10)
    pools = [data.syn_train] + ([data.real_train] if data.real_train is not None else [])
    bar = Progress(args.mae_steps, f'stage 1 MAE ({args.mask_ratio:.0%} tubes masked)')
    losses, history = [], []
    for step in range(args.mae_steps):
        xs, real = [], []
        for _ in range(32):
            k = 1 if len(pools) > 1 and rng.random() < args.real_share else 0
            xs.append(pools[k].x[rng.integers(len(pools[k]))])
            real.append(k == 1)
        x = augment(to_input(np.stack(xs)), gen, torch.tensor(real), args.crop_min)
        losses.append(optimise(mae(x, gen), mae.parameters(), opt, sched))
        bar.update(1, f'reconstruction {np.mean(losses[-50:]):.3f}')
        if (step + 1) % 100 == 0 or step + 1 == args.mae_steps:
            history.append({'step': step + 1, 'loss': round(float(np.mean(losses[-100:])), 4)})
    bar.close()
    return history


def fit(model: torch.nn.Module, data: Data, args, *, epochs: int, title: str, teacher: torch.nn.Module | None = None) -> list:
    """Supervised training with the masked BCE; with a teacher, plus sigmoid KD on the same augmented view.
    Keeps the epoch (and, with --ema, the trained or the averaged weights) that scores best on the real val split
    (sources the training never sees), by `selection_score`."""
    teaching = PoseTeaching(model, data.pose_labels, args.pose_distill) if args.pose_distill and data.pose_labels else None
    params = list(model.parameters()) + (list(teaching.head.parameters()) if teaching else [])
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.05)
    steps = epochs * (args.per_epoch // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=max(steps, 20), pct_start=0.1)
    all_y = np.concatenate([data.syn_train.y] + ([data.real_train.y] if data.real_train is not None else []))
    pos = np.nansum(all_y, 0)
    pos_weight = torch.tensor(np.clip((np.sum(~np.isnan(all_y), 0) - pos) / np.maximum(pos, 1), 1, 4), dtype=torch.float32)
    gen = torch.Generator().manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    tau, alpha = args.kd_temperature, args.kd_alpha
    if teacher is not None:
        teacher.eval()
    average = WeightAverage(model, args.ema) if args.ema else None
    paste = FirePaste(data.real_train, args.paste_fire, args.seed + 20) if args.paste_fire and data.real_train is not None else None
    if paste:
        print(paste.summary(), flush=True)
    best, best_state, history = -1.0, None, []
    for epoch in range(epochs):
        model.train()
        bar = Progress(args.per_epoch // args.batch, f'{title} {epoch + 1}/{epochs}')
        losses = []
        for xb, yb, is_real, real_index in batches(data, args, rng, paste):
            if teaching:
                maps, known = teaching.maps(real_index)
                x, maps = augment(to_input(xb), gen, is_real, args.crop_min, maps, MAP_FLIP)
                tokens = model.tokens(x)
                logits = model.head(model.pool(tokens))
            else:
                x = augment(to_input(xb), gen, is_real, args.crop_min)
                logits = model(x)
            loss = masked_bce(logits, torch.from_numpy(yb), pos_weight)
            if teaching:
                loss = loss + teaching.loss(tokens, maps, known)
            if teacher is not None:
                with torch.no_grad():
                    soft = torch.sigmoid(teacher(x) / tau)
                kd = F.binary_cross_entropy_with_logits(logits / tau, soft) * tau * tau
                loss = (1 - alpha) * loss + alpha * kd
            losses.append(optimise(loss, params, opt, sched))
            if average:
                average.update(model)
            pose = ''.join(f' {k} {v:.2f}' for k, v in teaching.summary().items()) if teaching else ''
            bar.update(1, f'loss {np.mean(losses[-50:]):.3f}{pose}')
        bar.close()
        row = {'epoch': epoch + 1, 'loss': round(float(np.mean(losses)), 4)}
        if teaching:
            row['pose_teacher'] = teaching.summary()
        if paste:
            row['fire_pasted'] = paste.pasted
        candidates = [('trained', model)] + ([('averaged', average.model)] if average else [])
        for kind, candidate in candidates:
            score, scores = selection_score(candidate, data, args)
            if kind == 'trained':
                row.update(scores)
            else:
                row['averaged'] = scores
            if score >= best:
                best, best_state, row['selected'] = score, {k: v.clone() for k, v in candidate.state_dict().items()}, kind
        history.append(row)
        print(json.dumps(row), flush=True)
    model.load_state_dict(best_state)
    return history


class WeightAverage:
    """Exponential moving average of the weights (the decay ramps up over the first steps, as in timm's ModelEmaV2)."""

    def __init__(self, model: torch.nn.Module, decay: float):
        self.model, self.decay, self.steps = copy.deepcopy(model).eval(), decay, 0

    @torch.no_grad()
    def update(self, model: torch.nn.Module) -> None:
        self.steps += 1
        d = min(self.decay, (1 + self.steps) / (10 + self.steps))
        for avg, cur in zip(self.model.state_dict().values(), model.state_dict().values()):
            if avg.dtype.is_floating_point:
                avg.mul_(d).add_(cur.detach(), alpha=1 - d)
            else:
                avg.copy_(cur)


def selection_rule(args) -> str:
    metric = 'mean window average precision' if args.select == 'ap' else 'macro-F1 at 0.5'
    weights = f', trained or averaged weights (EMA {args.ema})' if args.ema else ''
    return f'best epoch{weights} by {metric} over {",".join(args.select_classes)}'


def selection_score(model: torch.nn.Module, data: Data, args) -> tuple[float, dict]:
    """The number an epoch is selected by, and the val figures the history keeps. Real val is other cameras;
    synthetic val only measures the renderer, so it selects only without real clips."""
    ev = evaluate(model, data.val_sets, [0.5] * 3)
    f1s = {k: {c: m['f1'] for c, m in v['prf'].items()} for k, v in ev.items()}
    if 'real_val' not in ev:
        score = round(float(np.mean([macro_f1(v['prf']) for v in ev.values()])), 4)
        return score, {'val_macro_f1': score, **f1s}
    real = ev['real_val']
    ap = {c: round(M.average_precision(real['scores'][:, i], data.real_val.y[:, i]), 4) for i, c in enumerate(M.CLASSES)}
    scores = {'val_macro_f1': round(macro_f1(real['prf']), 4), **f1s, 'real_val_ap': ap}
    if args.select == 'ap':
        return float(np.mean([ap[c] for c in args.select_classes])), scores
    return macro_f1({c: m for c, m in real['prf'].items() if c in args.select_classes}), scores


def measure(model: torch.nn.Module, data: Data) -> tuple[list, dict]:
    """Thresholds chosen on the val splits only, then frozen for the reported splits."""
    vals = [ws for ws in data.val_sets.values() if ws is not None]
    thresholds = M.best_thresholds(np.concatenate([predict(model, ws) for ws in vals]), np.concatenate([ws.y for ws in vals]))
    results = evaluate(model, data.report_sets, thresholds)
    metrics = {k: {'windows': v['prf'], 'confusion': M.confusion(v['scores'], data.report_sets[k].y, thresholds)}
               for k, v in results.items()}
    if data.real_val is not None:
        metrics['real_val']['clips'] = M.clip_events(results['real_val']['scores'], data.real_val.group, data.clip_classes, thresholds)
    return thresholds, metrics


@torch.no_grad()
def latency_ms(fn, *inputs, runs: int = 30) -> float:
    """Median milliseconds of one call in PyTorch on this machine's threads (the ONNX figure is `npm run bench:inference`)."""
    for _ in range(3):
        fn(*inputs)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn(*inputs)
        times.append((time.perf_counter() - t) * 1000)
    return round(float(np.median(times)), 2)


def publish(model, args, data: Data, *, out: str, name: str, architecture: dict, history: dict, t_start: float,
            extras=None) -> dict:
    """Measures, exports the window graph, then runs `extras()` (more exports) whose dict joins the card."""
    model.eval()
    thresholds, metrics = measure(model, data)
    onnx_file = f'{name}.onnx'
    parity = export_onnx(model, os.path.join(out, onnx_file))
    extra = extras() if extras else {}
    torch.save({'config': model.cfg.to_dict(), 'state_dict': model.state_dict()}, os.path.join(args.cache, f'{name}.pt'))
    training = {
        'recipe': 'libs/model/training/train.py', 'command': ' '.join(['npm run model:train --'] + sys.argv[1:]),
        'date': datetime.date.today().isoformat(), 'seed': args.seed, 'history': history, 'data': data.sizes(args.clips),
        'machine': describe_machine(args.threads),
        'minutes': round((time.time() - t_start) / 60, 1),
        'selection': f'{selection_rule(args)} on real_val (sources train never sees); thresholds by F0.5 on the val windows',
    }
    card = write_card(os.path.join(out, f'{name}.card.json'), name=name, onnx_file=onnx_file, cfg=model.cfg, fps=args.fps,
                      hop=args.hop, thresholds=thresholds, parity=parity, metrics=metrics, training=training,
                      architecture=architecture, extra=extra)
    with open(os.path.join(out, f'{name}.report.md'), 'w') as f:
        f.write(render_report(card))
    print(f'wrote {os.path.join(out, onnx_file)} ({file_size_mb(os.path.join(out, onnx_file))} MB) and its card')
    return card


def recipe_window(args, data: Data, t_start: float) -> None:
    cfg = window_model_config(args.frames, args.size, args.patch)
    model = VideoViT(cfg)
    print(f'window model: {sum(p.numel() for p in model.parameters()) / 1e6:.2f} M params, {cfg.macs() / 1e9:.3f} GMACs/window', flush=True)
    history = {'mae': pretrain_mae(model, data, args)} if args.mae_steps else {}
    history['window'] = fit(model, data, args, epochs=args.epochs, title='epoch')
    arch = {'type': 'videomae-style-vit', 'attention': 'joint space-time', **cfg.to_dict(), 'gmacs_per_window': round(cfg.macs() / 1e9, 4),
            'ms_per_window_torch': latency_ms(model.eval(), torch.zeros(1, cfg.frames, 3, cfg.size, cfg.size))}
    publish(model, args, data, out=args.out, name=args.name, architecture=arch, history=history, t_start=t_start)


def recipe_distill(args, data: Data, t_start: float) -> None:
    tcfg = VitConfig(frames=args.frames, size=args.size, dim=128, depth=6, heads=4)
    scfg = StreamingConfig(frames=args.frames, size=args.size)
    teacher, student = VideoViT(tcfg), StreamingStudent(scfg)
    print(f'teacher: {sum(p.numel() for p in teacher.parameters()) / 1e6:.2f} M params, {tcfg.macs() / 1e9:.3f} GMACs/window; '
          f'student: {sum(p.numel() for p in student.parameters()) / 1e6:.2f} M params, {scfg.macs() / 1e9:.3f} GMACs/window '
          f'({scfg.macs() / tcfg.macs():.2f} of the teacher), {scfg.frame_macs() / 1e9:.4f} GMACs per new frame', flush=True)
    mae_history = pretrain_mae(teacher, data, args)
    teacher_history = fit(teacher, data, args, epochs=args.teacher_epochs, title='stage 2 teacher')
    window = torch.zeros(1, args.frames, 3, args.size, args.size)
    teacher_card = publish(teacher, args, data, out=args.cache, name='vigil-teacher', t_start=t_start,
                           history={'mae': mae_history, 'teacher': teacher_history},
                           architecture={'type': 'videomae-style-vit', 'attention': 'joint space-time', **tcfg.to_dict(),
                                         'gmacs_per_window': round(tcfg.macs() / 1e9, 4),
                                         'ms_per_window_torch': latency_ms(teacher.eval(), window)})
    student_history = fit(student, data, args, epochs=args.student_epochs, title='stage 3 student', teacher=teacher)
    student.eval()
    frame = torch.zeros(1, 3, args.size, args.size)
    emb = torch.zeros(1, args.frames, scfg.embedding)
    frame_ms, temporal_ms = latency_ms(student.frame, frame, frame), latency_ms(student.temporal, emb)
    arch = {'type': 'factorised-streaming', 'attention': 'spatial per frame, then temporal over cached frame embeddings',
            **scfg.to_dict(), 'gmacs_per_window': round(scfg.macs() / 1e9, 4), 'gmacs_per_frame': round(scfg.frame_macs() / 1e9, 5),
            'gmacs_temporal': round(scfg.temporal_macs() / 1e9, 5), 'teacher_gmacs_per_window': round(tcfg.macs() / 1e9, 4),
            'ms_per_window_torch': latency_ms(student, window), 'ms_per_frame_torch': frame_ms, 'ms_temporal_torch': temporal_ms}
    name = args.name
    teacher_summary = {'name': 'vigil-teacher', 'architecture': teacher_card['architecture'], 'metrics': teacher_card['metrics'],
                       'thresholds': teacher_card['thresholds']}
    publish(student, args, data, out=args.out, name=name, architecture=arch, t_start=t_start,
            history={'mae': mae_history, 'teacher': teacher_history, 'student': student_history},
            extras=lambda: {'streaming': export_streaming(student, args.out, name), 'teacher': teacher_summary,
                            'variants': {'fp16': export_fp16(os.path.join(args.out, f'{name}.onnx'), os.path.join(args.out, f'{name}.fp16.onnx'))}})


def recipe_pose(args, t_start: float) -> None:
    """The pose-fall stage: keypoints from the pretrained pose model (run by the agent's own runtime) -> a temporal
    classifier of falls, trained on the real train split, the epoch selected on val by window average precision."""
    import subprocess
    from vigil_train import pose_fall as P
    keypoints_file = label_keypoints(args)
    keypoints, fps = P.load_keypoints(keypoints_file)
    clips = read_manifest(args.clips)
    cfg = P.PoseFallConfig(frames=args.frames)
    train = P.pose_windows([c for c in clips if c.split == 'train'], args.clips, keypoints, fps, cfg.frames, 1)
    if args.pose_synthetic > 0:
        syn_dir = os.path.join(args.cache, f'pose-synthetic-v2-{args.pose_synthetic}')
        P.render_synthetic_clips(syn_dir, args.pose_synthetic, seed=args.seed, fps=args.fps)
        syn_keypoints_file = os.path.join(syn_dir, f'keypoints-{args.pose_picture}-{args.pose_tracking}.json')
        subprocess.run(['node', os.path.join(REPO, 'dist', 'scripts', 'pose-label.js'), syn_dir, '--out', syn_keypoints_file, *pose_label_flags(args)],
                       check=True)
        syn_keypoints, _ = P.load_keypoints(syn_keypoints_file)
        syn = P.pose_windows(read_manifest(syn_dir), syn_dir, syn_keypoints, fps, cfg.frames, 1)
        train = P.concat(train, syn)
    val = P.pose_windows([c for c in clips if c.split == 'val'], args.clips, keypoints, fps, cfg.frames, args.hop)
    print(f'pose windows: {len(train.y)} train ({int(np.nansum(train.y))} falling), {len(val.y)} val ({int(np.nansum(val.y))} falling)', flush=True)
    members, history = [], []
    for k in range(args.pose_seeds):
        member, member_history = P.train_pose_fall(train, val, cfg, epochs=args.pose_epochs, per_epoch=4096, batch=64, lr=2e-3,
                                                   seed=args.seed + k, log=lambda line, k=k: print(f'seed {k + 1}/{args.pose_seeds} {line}', flush=True))
        members.append(member)
        history.append(member_history)
    model = P.Ensemble(members).eval()
    val_scores = P.predict(model, val.x)
    labels3 = np.stack([val.y, np.full_like(val.y, np.nan), np.full_like(val.y, np.nan)], 1)
    threshold = M.best_thresholds(np.stack([val_scores] * 3, 1), labels3)[0]
    name = args.name
    parity = P.export_pose_fall(model, os.path.join(args.out, f'{name}.onnx'))
    card = {
        'schema': 'vigil.pose-fall-card/1', 'name': name, 'file': f'{name}.onnx',
        'pose': 'movenet-lightning.card.json',
        'architecture': {'type': f'keypoint window MLP, mean logit of {args.pose_seeds} seeds', **cfg.to_dict(), 'params': sum(p.numel() for p in model.parameters())},
        'input': {'name': 'keypoints', 'frames': cfg.frames, 'fps': fps, 'layout': 'B,T,17,(y,x,score)'},
        'keypoints': {'picture': args.pose_picture, 'tracking': args.pose_tracking},
        'output': {'name': 'logits', 'activation': 'sigmoid'},
        'labels': ['fall'], 'thresholds': {'fall': threshold}, 'parity': parity,
        'metrics': {'val_windows': {'average_precision': round(M.average_precision(val_scores, val.y), 4), 'windows': int(np.sum(~np.isnan(val.y))),
                                    'positives': int(np.nansum(val.y))}},
        'training': {'recipe': 'libs/model/training/train.py --recipe pose', 'command': ' '.join(['npm run model:train --'] + sys.argv[1:]),
                     'date': datetime.date.today().isoformat(), 'seed': args.seed, 'history': history,
                     'data': {'train_windows': len(train.y), 'val_windows': len(val.y), 'keypoints': os.path.relpath(keypoints_file, REPO)},
                     'minutes': round((time.time() - t_start) / 60, 1),
                     'selection': 'each seed: best epoch by window average precision on real_val (sources train never sees); threshold by F0.5 on the same windows'},
    }
    with open(os.path.join(args.out, f'{name}.card.json'), 'w') as f:
        json.dump(card, f, indent=2)
        f.write('\n')
    print(f'wrote {os.path.join(args.out, name)}.onnx and its card: val window AP {card["metrics"]["val_windows"]["average_precision"]}, threshold {threshold}')


def main() -> None:
    args = parse_args()
    if not keep_freed_memory():
        print('note: not glibc, so freed tensor memory goes back to the kernel after every step (training is slower)', flush=True)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    np.seterr(all='ignore')
    t_start = time.time()
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.cache, exist_ok=True)
    print(f'Vigil training recipe "{args.recipe}": {args.name}, {args.frames}x{args.size}x{args.size} @ {args.fps} fps, seed {args.seed}', flush=True)
    if args.recipe == 'pose':
        recipe_pose(args, t_start)
    else:
        data = load_data(args)
        (recipe_distill if args.recipe == 'distill' else recipe_window)(args, data, t_start)
    print(f'done in {(time.time() - t_start) / 60:.1f} min')


if __name__ == '__main__':
    main()
