"""Resolution-independent drawing on a float RGB canvas.

Scene coordinates: y runs 0..1 from top to bottom, x runs 0..aspect from left to right, so a circle of radius r is
round in the scene whatever pixel size it is rendered at. Rendering a 16:9 scene straight to 112x112 gives the same
squashed picture the agent sees after ffmpeg scales a 640x360 camera to the model size.
"""
from dataclasses import dataclass

import numpy as np


@dataclass
class Canvas:
    img: np.ndarray  # float32 [H, W, 3], 0..1
    aspect: float

    @classmethod
    def blank(cls, width: int, height: int, aspect: float) -> 'Canvas':
        return cls(np.zeros((height, width, 3), np.float32), aspect)

    @property
    def h(self) -> int:
        return self.img.shape[0]

    @property
    def w(self) -> int:
        return self.img.shape[1]

    @property
    def px(self) -> float:
        """Size of one pixel in scene units (vertical)."""
        return 1.0 / self.h

    def region(self, x0: float, y0: float, x1: float, y1: float):
        """Pixel slice covering the scene box, and the scene coordinates of its pixel centres."""
        c0 = max(int(np.floor(x0 / self.aspect * self.w)) - 1, 0)
        c1 = min(int(np.ceil(x1 / self.aspect * self.w)) + 1, self.w)
        r0 = max(int(np.floor(y0 * self.h)) - 1, 0)
        r1 = min(int(np.ceil(y1 * self.h)) + 1, self.h)
        if c1 <= c0 or r1 <= r0:
            return None
        xs = (np.arange(c0, c1, dtype=np.float32) + 0.5) / self.w * self.aspect
        ys = (np.arange(r0, r1, dtype=np.float32) + 0.5) / self.h
        return (slice(r0, r1), slice(c0, c1)), xs[None, :], ys[:, None]

    def blend(self, sl, alpha: np.ndarray, color) -> None:
        a = np.clip(alpha, 0.0, 1.0)[..., None]
        patch = self.img[sl]
        patch *= 1.0 - a
        patch += a * np.asarray(color, np.float32)

    def add(self, sl, amount: np.ndarray, color) -> None:
        self.img[sl] += amount[..., None] * np.asarray(color, np.float32)

    def capsule(self, a, b, r: float, color, alpha: float = 1.0) -> None:
        reg = self.region(min(a[0], b[0]) - r, min(a[1], b[1]) - r, max(a[0], b[0]) + r, max(a[1], b[1]) + r)
        if reg is None:
            return
        sl, xs, ys = reg
        ax, ay = a
        dx, dy = b[0] - ax, b[1] - ay
        ll = dx * dx + dy * dy + 1e-9
        t = np.clip(((xs - ax) * dx + (ys - ay) * dy) / ll, 0.0, 1.0)
        d = np.hypot(xs - (ax + t * dx), ys - (ay + t * dy))
        self.blend(sl, alpha * np.clip((r - d) / self.px + 0.5, 0.0, 1.0), color)

    def ellipse(self, c, rx: float, ry: float, color, alpha: float = 1.0, angle: float = 0.0) -> None:
        rr = max(rx, ry)
        reg = self.region(c[0] - rr, c[1] - rr, c[0] + rr, c[1] + rr)
        if reg is None:
            return
        sl, xs, ys = reg
        ca, sa = np.cos(angle), np.sin(angle)
        u = ((xs - c[0]) * ca + (ys - c[1]) * sa) / rx
        v = (-(xs - c[0]) * sa + (ys - c[1]) * ca) / ry
        d = (np.sqrt(u * u + v * v) - 1.0) * min(rx, ry)
        self.blend(sl, alpha * np.clip(-d / self.px + 0.5, 0.0, 1.0), color)

    def rect(self, x0: float, y0: float, x1: float, y1: float, color, alpha: float = 1.0) -> None:
        reg = self.region(x0, y0, x1, y1)
        if reg is None:
            return
        sl, xs, ys = reg
        cov_x = np.clip(np.minimum(xs - x0, x1 - xs) / self.px + 0.5, 0.0, 1.0)
        cov_y = np.clip(np.minimum(ys - y0, y1 - ys) / self.px + 0.5, 0.0, 1.0)
        self.blend(sl, alpha * cov_x * cov_y, color)

    def glow(self, c, sigma: float, color, strength: float) -> None:
        reg = self.region(c[0] - 3 * sigma, c[1] - 3 * sigma, c[0] + 3 * sigma, c[1] + 3 * sigma)
        if reg is None:
            return
        sl, xs, ys = reg
        d2 = (xs - c[0]) ** 2 + (ys - c[1]) ** 2
        self.add(sl, strength * np.exp(-d2 / (2 * sigma * sigma)), color)

    def to_uint8(self) -> np.ndarray:
        return (np.clip(self.img, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def smoothstep(e0: float, e1: float, x):
    t = np.clip((x - e0) / (e1 - e0), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def value_noise(rng: np.random.Generator, h: int, w: int, cells: int) -> np.ndarray:
    """Smooth random field in 0..1 (bilinear value noise), used for textures and smoke."""
    g = rng.random((cells + 1, cells + 1)).astype(np.float32)
    ys = np.linspace(0, cells, h, endpoint=False, dtype=np.float32)
    xs = np.linspace(0, cells, w, endpoint=False, dtype=np.float32)
    y0 = ys.astype(int)
    x0 = xs.astype(int)
    fy = smoothstep(0, 1, ys - y0)[:, None]
    fx = smoothstep(0, 1, xs - x0)[None, :]
    a = g[y0][:, x0]
    b = g[y0][:, x0 + 1]
    c = g[y0 + 1][:, x0]
    d = g[y0 + 1][:, x0 + 1]
    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy


def fbm(rng: np.random.Generator, h: int, w: int, base_cells: int = 3, octaves: int = 4) -> np.ndarray:
    out = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for o in range(octaves):
        out += amp * value_noise(rng, h, w, base_cells * 2 ** o)
        total += amp
        amp *= 0.5
    return out / total
