"""Static backgrounds: indoor rooms, corridors and outdoor yards, rendered once per clip."""
import numpy as np

from .canvas import Canvas, fbm


def _palette(rng: np.random.Generator, lo: float, hi: float, sat: float):
    base = rng.uniform(lo, hi)
    tint = rng.normal(0, sat, 3)
    return np.clip(base + tint, 0.02, 0.98).astype(np.float32)


def render_background(rng: np.random.Generator, width: int, height: int, aspect: float) -> tuple[np.ndarray, float]:
    """Returns (image float32 [H,W,3], horizon y) for a random indoor or outdoor scene."""
    cv = Canvas.blank(width, height, aspect)
    horizon = float(rng.uniform(0.3, 0.6))
    outdoor = rng.random() < 0.35
    rows = (np.arange(height, dtype=np.float32) + 0.5) / height
    if outdoor:
        sky_top = _palette(rng, 0.45, 0.9, 0.12) * np.array([0.8, 0.9, 1.1], np.float32)
        sky_bottom = np.clip(sky_top + 0.15, 0, 1)
        ground = _palette(rng, 0.2, 0.55, 0.1) * np.array(rng.choice([[0.8, 1.1, 0.6], [1.1, 0.95, 0.7], [0.9, 0.9, 0.9]]), np.float32)
        t = np.clip(rows / horizon, 0, 1)[:, None, None]
        sky = sky_top * (1 - t) + sky_bottom * t
        cv.img[:] = np.where(rows[:, None, None] < horizon, sky, ground)
        for _ in range(rng.integers(0, 6)):
            x = rng.uniform(0, aspect)
            r = rng.uniform(0.04, 0.14)
            trunk = rng.uniform(0.05, 0.15)
            cv.rect(x - 0.01, horizon - trunk, x + 0.01, horizon + 0.01, (0.25, 0.18, 0.1))
            cv.ellipse((x, horizon - trunk - r * 0.7), r * 0.8, r, _palette(rng, 0.15, 0.4, 0.05) * np.array([0.7, 1.2, 0.6], np.float32))
        for _ in range(rng.integers(0, 3)):
            x0 = rng.uniform(-0.2, aspect)
            w = rng.uniform(0.2, 0.6)
            hgt = rng.uniform(0.1, 0.3)
            cv.rect(x0, horizon - hgt, x0 + w, horizon, _palette(rng, 0.3, 0.7, 0.08))
    else:
        wall = _palette(rng, 0.35, 0.85, 0.08)
        floor = _palette(rng, 0.2, 0.6, 0.08)
        t = ((rows - horizon) / (1 - horizon)).clip(0, 1)[:, None, None]
        cv.img[:] = np.where(rows[:, None, None] < horizon, wall, floor * (0.8 + 0.3 * t))
        cv.rect(0, horizon - 0.005, aspect, horizon + 0.005, wall * 0.6)
        for _ in range(rng.integers(1, 5)):
            kind = rng.integers(0, 3)
            x0 = rng.uniform(0, aspect)
            if kind == 0:  # door or window
                w, hgt = rng.uniform(0.1, 0.25), rng.uniform(0.2, 0.45)
                cv.rect(x0, horizon - hgt, x0 + w, horizon, _palette(rng, 0.2, 0.9, 0.1))
            elif kind == 1:  # furniture standing on the floor
                w, hgt = rng.uniform(0.1, 0.4), rng.uniform(0.08, 0.3)
                y1 = rng.uniform(horizon + 0.02, 0.75)
                col = _palette(rng, 0.1, 0.7, 0.12)
                cv.rect(x0, y1 - hgt, x0 + w, y1, col)
                cv.rect(x0, y1 - hgt, x0 + w, y1 - hgt + 0.015, col * 0.7)
            else:  # picture or board
                w, hgt = rng.uniform(0.05, 0.2), rng.uniform(0.05, 0.15)
                y0 = rng.uniform(0.05, max(horizon - hgt - 0.02, 0.06))
                cv.rect(x0, y0, x0 + w, y0 + hgt, _palette(rng, 0.1, 0.9, 0.2))
    texture = fbm(rng, height, width, base_cells=int(rng.integers(2, 6)))
    cv.img *= (1.0 + rng.uniform(0.05, 0.25) * (texture - 0.5))[..., None]
    shade = np.linspace(rng.uniform(0.75, 1.1), rng.uniform(0.75, 1.1), width, dtype=np.float32)[None, :, None]
    cv.img *= shade
    return cv.img, horizon
