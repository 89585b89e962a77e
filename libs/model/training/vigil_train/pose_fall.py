"""The pose-fall stage: a small temporal classifier over a window of body keypoints from the pretrained pose model.

Keypoints describe a body the same way in any room, light or camera, which pixels at 96x96 do not; the pose
model (MoveNet, trained on far more people than our clips show) is the teacher of what a body is, and this stage
learns only what a fall looks like in its keypoints. Input: [B, T, 17, 3] raw keypoints (y, x, score in the
letterboxed square); everything else, normalisation included, happens inside the exported graph so the agent
passes the pose model's output as it is.
"""
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from multiprocessing import Pool

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

from .data import Clip, clip_window_labels, source_balanced
from .metrics import average_precision
from .progress import Progress

# left/right keypoint pairs of MoveNet's 17 (eyes, ears, shoulders, elbows, wrists, hips, knees, ankles)
FLIP = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]
SMOOTHING = 0.05


@dataclass
class PoseFallConfig:
    frames: int = 8
    keypoints: int = 17
    hidden: int = 64

    def to_dict(self) -> dict:
        return asdict(self)


class PoseFall(nn.Module):
    def __init__(self, cfg: PoseFallConfig):
        super().__init__()
        self.cfg = cfg
        per_frame = cfg.keypoints * 3 + 6
        self.frame = nn.Sequential(nn.Linear(per_frame, cfg.hidden), nn.GELU(), nn.Linear(cfg.hidden, cfg.hidden), nn.GELU())
        self.temporal = nn.Sequential(nn.Linear(cfg.frames * cfg.hidden, cfg.hidden), nn.GELU(), nn.Dropout(0.2), nn.Linear(cfg.hidden, 1))

    @staticmethod
    def features(kp: torch.Tensor) -> torch.Tensor:
        """[B, T, 17, 3] keypoints -> [B, T, 57]: each keypoint relative to the window's body centre and size,
        weighted by its score, plus the body's height in the frame, its spread, aspect and visibility per frame."""
        y, x, s = kp[..., 0], kp[..., 1], kp[..., 2].clamp(0, 1)
        w = s + 1e-3
        total = w.sum(-1, keepdim=True)
        cy, cx = (w * y).sum(-1, keepdim=True) / total, (w * x).sum(-1, keepdim=True) / total
        sy = torch.sqrt((w * (y - cy) ** 2).sum(-1, keepdim=True) / total + 1e-6)
        sx = torch.sqrt((w * (x - cx) ** 2).sum(-1, keepdim=True) / total + 1e-6)
        scale = ((sy + sx) / 2).mean(1, keepdim=True) + 1e-3
        ref_y, ref_x = cy.mean(1, keepdim=True), cx.mean(1, keepdim=True)
        ny = ((y - ref_y) / scale).clamp(-6, 6) * s
        nx = ((x - ref_x) / scale).clamp(-6, 6) * s
        extras = torch.cat([cy, (cy - ref_y) / scale, sy / scale, sx / scale, torch.log(sy / sx), s.mean(-1, keepdim=True)], -1)
        return torch.cat([ny, nx, s, extras], -1)

    def forward(self, kp: torch.Tensor) -> torch.Tensor:
        b, t = kp.shape[0], kp.shape[1]
        h = self.frame(self.features(kp))
        return self.temporal(h.reshape(b, t * self.cfg.hidden))


class Ensemble(nn.Module):
    """The mean logit of members trained from different seeds: steadier scores on cameras none of them saw."""

    def __init__(self, members: list):
        super().__init__()
        self.members = nn.ModuleList(members)
        self.cfg = members[0].cfg

    def forward(self, kp: torch.Tensor) -> torch.Tensor:
        return torch.stack([m(kp) for m in self.members]).mean(0)


# ---- data ------------------------------------------------------------------------------------------------------

@dataclass
class PoseWindows:
    x: np.ndarray        # float32 [N, T, 17, 3]
    y: np.ndarray        # float32 [N] fall label, NaN ambiguous
    group: np.ndarray    # clip per window
    origin: np.ndarray   # source repository per window


def load_keypoints(path: str) -> dict:
    with open(path) as f:
        data = json.load(f)
    return {k: np.asarray(v['keypoints'], np.float32).reshape(v['frames'], 17, 3) for k, v in data['clips'].items()}, data['fps']


def pose_windows(clips: list[Clip], clips_dir: str, keypoints: dict, fps: float, frames: int, hop: int) -> PoseWindows:
    xs, ys, groups, origins = [], [], [], []
    for clip in clips:
        key = os.path.relpath(clip.file, clips_dir)
        if key not in keypoints:
            raise KeyError(f'no keypoints for {key}; run the pose labelling step again')
        seq = keypoints[key]
        for s in range(0, len(seq) - frames + 1, hop):
            xs.append(seq[s:s + frames])
            ys.append(clip_window_labels(clip, s / fps, (s + frames) / fps)[0])
            groups.append(key)
            origins.append(clip.origin)
    return PoseWindows(np.stack(xs), np.array(ys, np.float32), np.array(groups), np.array(origins))


def concat(a: PoseWindows, b: PoseWindows) -> PoseWindows:
    return PoseWindows(*(np.concatenate([getattr(a, f), getattr(b, f)]) for f in ('x', 'y', 'group', 'origin')))


def _render(job):
    scenario, seed, path, fps, (width, height) = job
    script = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'render_clip.py')
    out = subprocess.run([sys.executable, script, scenario, path, '--width', str(width), '--height', str(height), '--fps', str(int(fps)), '--seed', str(seed)],
                         check=True, capture_output=True, text=True).stdout
    return scenario, path, json.loads(out.strip().splitlines()[-1])


def render_synthetic_clips(folder: str, n: int, *, seed: int, fps: float) -> str:
    """n scripted falls and n normal scenes from the project's renderer, as a clips folder with a manifest (one
    source: weighed as one more camera, not as n), rendered at 320x180 and 640x360 in turn. Seeds start at
    5000 + seed, away from the eval and test seeds."""
    manifest = os.path.join(folder, 'manifest.tsv')
    if os.path.exists(manifest):
        return manifest
    os.makedirs(folder, exist_ok=True)
    sizes = [(320, 180), (640, 360)]
    jobs = [(scenario, 5000 + seed + i, os.path.join(folder, f'{scenario}-{5000 + seed + i}.mp4'), fps, sizes[i % 2])
            for i in range(n) for scenario in ('fall', 'normal')]
    rows = ['file\tclass\tsplit\tevent_span_s\tsource_repo\tdataset\tduration_s']
    bar = Progress(len(jobs), 'render synthetic pose clips')
    with Pool(2) as pool:
        for scenario, path, info in pool.imap(_render, jobs):
            onset = info['onsets_s'].get('fall')
            span = f'{onset}-{onset + 1:.2f}' if onset is not None else 'n/a'
            rows.append('\t'.join([os.path.basename(path), scenario, 'train', span, 'vigil/synthetic', 'synthetic', str(info['duration_s'])]))
            bar.update(1)
    bar.close()
    with open(manifest, 'w') as f:
        f.write('\n'.join(rows) + '\n')
    return manifest


def sample_weights(ws: PoseWindows) -> np.ndarray:
    """Falls and not-falls half each, and within each the sources evenly, then their windows."""
    w = source_balanced(np.nan_to_num(ws.y, nan=0.0) > 0.5, ws.origin)
    w[np.isnan(ws.y)] = 0
    return w / w.sum()


def augment(kp: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Mirror, shift, zoom, jitter and occlude: the same fall seen by another camera."""
    b = kp.shape[0]
    kp = kp.clone()
    flip = torch.rand(b, generator=gen) < 0.5
    kp[flip] = kp[flip][:, :, FLIP]
    kp[flip, :, :, 1] = 1 - kp[flip, :, :, 1]
    zoom = 0.7 + 0.6 * torch.rand(b, 1, 1, generator=gen)
    shift = (torch.rand(b, 1, 2, generator=gen) - 0.5) * 0.3
    kp[..., :2] = (kp[..., :2] - 0.5) * zoom.unsqueeze(-1) + 0.5 + shift.unsqueeze(1)
    kp[..., :2] += torch.randn(kp[..., :2].shape, generator=gen) * 0.008
    drop = torch.rand(kp[..., 2].shape, generator=gen) < 0.08
    kp[..., 2] = torch.where(drop, torch.zeros_like(kp[..., 2]), kp[..., 2])
    return kp


@torch.no_grad()
def predict(model: nn.Module, x: np.ndarray) -> np.ndarray:
    model.eval()
    return torch.sigmoid(model(torch.from_numpy(x))).squeeze(-1).numpy()


def train_pose_fall(train: PoseWindows, val: PoseWindows, cfg: PoseFallConfig, *, epochs: int, per_epoch: int, batch: int,
                    lr: float, seed: int, log) -> tuple[PoseFall, list]:
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = PoseFall(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.05)
    steps = epochs * (per_epoch // batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=max(steps, 20), pct_start=0.1)
    p = sample_weights(train)
    best, best_state, history = -1.0, None, []
    for epoch in range(epochs):
        model.train()
        losses = []
        for _ in range(per_epoch // batch):
            idx = rng.choice(len(train.y), batch, p=p)
            x = augment(torch.from_numpy(train.x[idx]), gen)
            y = torch.from_numpy(np.nan_to_num(train.y[idx], nan=0.0))
            # label smoothing keeps the scores off 0 and 1, so a threshold can still tell windows apart on new cameras
            loss = F.binary_cross_entropy_with_logits(model(x).squeeze(-1), y * (1 - 2 * SMOOTHING) + SMOOTHING)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            losses.append(float(loss))
        ap = average_precision(predict(model, val.x), val.y)
        history.append({'epoch': epoch + 1, 'loss': round(float(np.mean(losses)), 4), 'val_ap': round(ap, 4)})
        log(json.dumps(history[-1]))
        if ap >= best:
            best, best_state = ap, {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    return model.eval(), history


def parity_keypoints(batch: int, frames: int) -> np.ndarray:
    """Deterministic keypoints both PyTorch and Node can build: v[i] = ((i * 7919) % 1000) / 1000 (row-major)."""
    i = np.arange(batch * frames * 17 * 3, dtype=np.int64)
    return (((i * 7919) % 1000) / 1000.0).astype(np.float32).reshape(batch, frames, 17, 3)


def export_pose_fall(model: nn.Module, path: str) -> dict:
    x = torch.from_numpy(parity_keypoints(2, model.cfg.frames))
    with torch.no_grad():
        ref = model(x).numpy()
    torch.onnx.export(model, x, path, opset_version=17, input_names=['keypoints'], output_names=['logits'],
                      dynamic_axes={'keypoints': {0: 'batch'}, 'logits': {0: 'batch'}}, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    return {'input': 'v[i] = ((i * 7919) % 1000) / 1000, row-major over [2, T, 17, 3]', 'batch': 2,
            'logits': [[round(float(v), 6) for v in row] for row in ref], 'tolerance': 1e-4}
