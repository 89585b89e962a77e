"""The pose model as a teacher of the video model (`--pose-distill WEIGHT`, issue 14 item 2).

The pretrained pose model (MoveNet, run by scripts/pose-label as the agent runs it) labels every frame of the real
clips with 17 keypoints. Each training window gets from them, per frame, a map of where the person's box is and one
map per keypoint; an auxiliary head on the window model's tokens learns to predict them (the box per token, each
keypoint as a distribution over the tokens of its time step), so the encoder learns bodies and postures from a
model trained on far more people than our clips show. The head exists only in training: the exported graph and its
input/output contract are the window model's own.

The synthetic windows carry no teacher labels: the pose model does not take the renderer's figures for people
(docs/model.md), so its keypoints there would teach that they are not.
"""
import os
import subprocess

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .data import Clip, WindowSet
from .pose_fall import FLIP

MAP_FLIP = [0] + [1 + k for k in FLIP]   # map channel 0 is the box, then MoveNet's keypoints
SEEN = 0.3          # keypoint score from which the teacher counts it as seen
MIN_SEEN = 4        # seen keypoints for a person (box) in a frame
CHANNELS = 18       # box + 17 keypoints
KEYPOINT_WEIGHT = 0.25


def letterbox_content(width: int, height: int, picture: int) -> tuple[float, float, float, float]:
    """Where the picture sits in the letterboxed square (ffmpeg force_original_aspect_ratio=decrease + centred pad),
    as (top, left, height, width) in units of the square's side."""
    scale = picture / max(width, height)
    h, w = height * scale / picture, width * scale / picture
    return (1 - h) / 2, (1 - w) / 2, h, w


def clip_resolution(path: str) -> tuple[int, int]:
    """Width and height of a clip's video stream, as ffmpeg decodes it (ffprobe)."""
    out = subprocess.run(['ffprobe', '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0',
                          path], check=True, capture_output=True, text=True).stdout.strip().split(',')
    return int(out[0]), int(out[1])


def clip_key(clip: Clip) -> str:
    """The name real_windows gives a clip's windows (its file under the clips folder)."""
    return os.path.relpath(clip.file, os.path.dirname(os.path.dirname(clip.file)))


def window_keypoints(real: WindowSet, clips: list[Clip], keypoints: dict, picture: int, frames: int, hop: int):
    """Per real window [N, T, 17, 3] keypoints (y, x in the squashed frame, 0..1; score) and whether the teacher
    labelled it. Windows are found as real_windows cut them: per clip, in order, every `hop` frames; `keypoints` is
    keyed like the manifest (pose_fall.load_keypoints)."""
    by_key = {clip_key(c): c for c in clips}
    out = np.zeros((len(real), frames, 17, 3), np.float32)
    known = np.zeros(len(real), bool)
    seen_in_clip: dict = {}
    resolutions: dict = {}
    for i, group in enumerate(real.group):
        k = seen_in_clip.get(group, 0)
        seen_in_clip[group] = k + 1
        clip = by_key.get(group)
        seq = keypoints.get(group)
        if clip is None or seq is None:
            continue
        start = k * hop
        if start + frames > len(seq):
            continue
        if group not in resolutions:
            resolutions[group] = clip_resolution(clip.file)
        top, left, h, w = letterbox_content(*resolutions[group], picture)
        kp = seq[start:start + frames].copy()
        kp[..., 0] = (kp[..., 0] - top) / h
        kp[..., 1] = (kp[..., 1] - left) / w
        out[i] = kp
        known[i] = True
    return out, known


def render_maps(kp: np.ndarray, size: int) -> np.ndarray:
    """[B, T, 17, 3] keypoints -> [B, T, 18, size, size] maps: the person's box (from the seen keypoints, grown by
    15 % a side, where at least MIN_SEEN are seen) and a Gaussian per seen keypoint (sigma 1.5 cells)."""
    b, t = kp.shape[:2]
    grid = (np.arange(size, dtype=np.float32) + 0.5) / size
    y, x, s = kp[..., 0], kp[..., 1], kp[..., 2]
    seen = s >= SEEN
    maps = np.zeros((b, t, CHANNELS, size, size), np.float32)
    sigma = 1.5 / size
    gy = np.exp(-((grid[None, None, None, :] - y[..., None]) ** 2) / (2 * sigma ** 2))
    gx = np.exp(-((grid[None, None, None, :] - x[..., None]) ** 2) / (2 * sigma ** 2))
    maps[:, :, 1:] = gy[..., :, None] * gx[..., None, :] * seen[..., None, None]
    person = seen.sum(-1) >= MIN_SEEN
    for i, j in zip(*np.nonzero(person)):
        m = seen[i, j]
        y0, y1, x0, x1 = y[i, j][m].min(), y[i, j][m].max(), x[i, j][m].min(), x[i, j][m].max()
        dy, dx = (y1 - y0) * 0.15 + 0.02, (x1 - x0) * 0.15 + 0.02
        inside_y = (grid >= y0 - dy) & (grid <= y1 + dy)
        inside_x = (grid >= x0 - dx) & (grid <= x1 + dx)
        maps[i, j, 0] = inside_y[:, None] & inside_x[None, :]
    return maps


class PoseHead(nn.Module):
    """Training-only head: window model tokens [B, N, D] -> per token the box and 17 keypoint logits."""

    def __init__(self, dim: int, time_steps: int, grid: int):
        super().__init__()
        self.time_steps, self.grid = time_steps, grid
        self.proj = nn.Linear(dim, CHANNELS)

    def loss(self, tokens: torch.Tensor, maps: torch.Tensor, known: torch.Tensor) -> tuple[torch.Tensor, dict]:
        """maps [B, T, 18, m, m] (already moved with the frames by the augmentation); known [B] bool."""
        if not known.any():
            zero = tokens.sum() * 0
            return zero, {'box': 0.0, 'keypoints': 0.0}
        tokens, maps = tokens[known], maps[known]
        b, t, c, m, _ = maps.shape
        ts, g = self.time_steps, self.grid
        target = maps.view(b, ts, t // ts, c, g, m // g, g, m // g).mean((2, 5, 7))          # [B, ts, 18, g, g]
        logits = self.proj(tokens).view(b, ts, g, g, c).permute(0, 1, 4, 2, 3)              # [B, ts, 18, g, g]
        box = F.binary_cross_entropy_with_logits(logits[:, :, 0], target[:, :, 0])
        mass = target[:, :, 1:].flatten(3)                                                   # [B, ts, 17, g*g]
        total = mass.sum(-1)
        seen = total > 1e-3
        if seen.any():
            q = mass[seen] / total[seen].unsqueeze(-1)
            kp = -(q * logits[:, :, 1:].flatten(3)[seen].log_softmax(-1)).sum(-1).mean()
        else:
            kp = logits.sum() * 0
        return box + KEYPOINT_WEIGHT * kp, {'box': float(box), 'keypoints': float(kp)}


class PoseTeaching:
    """The pose teacher's loss on a window model's tokens in the training loop: maps for a batch of real train windows
    (index -1: synthetic, unlabelled), the weighted loss, and a running summary for the progress bar."""

    MAP = 4   # map cells per token side

    def __init__(self, model, labels: tuple, weight: float):
        self.weight = weight
        self.kp, self.known = labels
        cfg = model.cfg
        self.grid = cfg.size // cfg.tubelet[1]
        self.head = PoseHead(cfg.dim, cfg.frames // cfg.tubelet[0], self.grid)
        self.parts: list = []

    def maps(self, real_index: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        known = np.array([i >= 0 and self.known[i] for i in real_index])
        kp = np.zeros((len(real_index),) + self.kp.shape[1:], np.float32)
        kp[known] = self.kp[real_index[known]]
        return torch.from_numpy(render_maps(kp, self.grid * self.MAP)), torch.from_numpy(known)

    def loss(self, tokens: torch.Tensor, maps: torch.Tensor, known: torch.Tensor) -> torch.Tensor:
        loss, parts = self.head.loss(tokens, maps, known)
        self.parts.append(parts)
        return self.weight * loss

    def summary(self) -> dict:
        recent = self.parts[-50:]
        return {k: round(float(np.mean([p[k] for p in recent])), 3) for k in ('box', 'keypoints')} if recent else {}
