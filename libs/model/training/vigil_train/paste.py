"""Flames cut from real fire windows and pasted into real windows of other cameras where nothing happens.

Nineteen training fires come with their own rooms, light and framing, so a model can learn the scenes instead of the
flames. A pasted window keeps the other camera's scene, light and noise and gains moving, flickering flames from a
fire clip of another source: the label says fire, and the only thing that changed is the flames.

The flames are the fire-coloured pixels of the donor window (Chen et al., 2004: a bright red channel, R >= G > B,
saturated: R - B over 45 % of R), grown by two pixels so bright cores and edges come along, and feathered, frame by
frame, so the flicker travels with them. Donors are drawn by source, as the epoch draws windows.
"""
import numpy as np
import torch
import torch.nn.functional as F

from .data import WindowSet

MIN_AREA, MAX_AREA = 0.01, 0.5


def flame_pixels(frames: np.ndarray) -> np.ndarray:
    """uint8 [T, H, W, 3] -> bool [T, H, W]: pixels in the colour range of flames."""
    f = frames.astype(np.int16)
    r, g, b = f[..., 0], f[..., 1], f[..., 2]
    return (r > 170) & (r >= g) & (g > b) & (r - b > 0.45 * r)


def flame_alpha(frames: np.ndarray) -> np.ndarray:
    """uint8 [T, H, W, 3] -> float32 [T, H, W] in [0, 1]: flame pixels grown by 2 and feathered over 5."""
    m = torch.from_numpy(flame_pixels(frames).astype(np.float32))[:, None]
    return F.avg_pool2d(F.max_pool2d(m, 5, 1, 2), 5, 1, 2, count_include_pad=False)[:, 0].numpy()


class FirePaste:
    """Turns a real window without events into a fire window with flames from another source."""

    def __init__(self, real: WindowSet, rate: float, seed: int):
        self.real, self.rate = real, rate
        self.rng = np.random.default_rng(seed)
        fire = np.nonzero(real.y[:, 1] > 0.5)[0]
        area = np.array([flame_pixels(real.x[i]).mean(axis=(1, 2)) for i in fire])
        usable = fire[(np.median(area, axis=1) >= MIN_AREA) & (area.max(axis=1) <= MAX_AREA)] if len(fire) else fire
        self.origin = real.origins()
        self.donors = {src: usable[self.origin[usable] == src] for src in np.unique(self.origin[usable])}
        self.donor_sources = {o: [src for src in self.donors if src != o] for o in np.unique(self.origin)}
        self.pasted = 0

    def summary(self) -> str:
        n = sum(len(v) for v in self.donors.values())
        return f'fire paste: {n} donor windows with visible flames from {len(self.donors)} sources, rate {self.rate:g}'

    def wants(self, index: int, y: np.ndarray) -> bool:
        quiet = not np.isnan(y).any() and not (y > 0.5).any()
        return bool(quiet and self.donor_sources[self.origin[index]] and self.rng.random() < self.rate)

    def __call__(self, index: int, target: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        others = self.donor_sources[self.origin[index]]
        pool = self.donors[others[self.rng.integers(len(others))]]
        donor = self.real.x[pool[self.rng.integers(len(pool))]]
        alpha = flame_alpha(donor)
        rows, cols = np.nonzero(alpha.max(axis=0) > 0.05)
        y0, y1, x0, x1 = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
        size = target.shape[1]
        scale = min(self.rng.uniform(0.6, 1.25), size / (y1 - y0), size / (x1 - x0))
        h, w = max(int(round((y1 - y0) * scale)), 2), max(int(round((x1 - x0) * scale)), 2)
        patch = torch.from_numpy(donor[:, y0:y1, x0:x1].astype(np.float32)).permute(0, 3, 1, 2)
        mask = torch.from_numpy(alpha[:, None, y0:y1, x0:x1])
        patch = F.interpolate(patch, size=(h, w), mode='bilinear', align_corners=False)
        mask = F.interpolate(mask, size=(h, w), mode='bilinear', align_corners=False)
        if self.rng.random() < 0.5:
            patch, mask = patch.flip(-1), mask.flip(-1)
        oy, ox = int(self.rng.integers(0, size - h + 1)), int(self.rng.integers(0, target.shape[2] - w + 1))
        out = target.astype(np.float32)
        region = out[:, oy:oy + h, ox:ox + w]
        a = mask.permute(0, 2, 3, 1).numpy()
        out[:, oy:oy + h, ox:ox + w] = region * (1 - a) + patch.permute(0, 2, 3, 1).numpy() * a
        self.pasted += 1
        label = np.array([y[0], 1.0, np.nan], np.float32)
        return np.clip(np.rint(out), 0, 255).astype(np.uint8), label
