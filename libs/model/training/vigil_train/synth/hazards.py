"""Fire and smoke, and the things that look like them but are not (flashing lamps, red objects, screens, lighting)."""
from dataclasses import dataclass, field

import numpy as np

from .canvas import Canvas, smoothstep, value_noise

FIRE_MIN_VISIBLE = 0.035   # flame height (scene units) from which a window is labelled fire
SMOKE_SETTLE_S = 1.2       # seconds after smoke starts before a window is labelled smoke


@dataclass
class Fire:
    x: float
    y: float
    ignite: float            # seconds
    grow: float              # seconds to reach full size
    size: float              # full flame height, scene units
    seed: int
    tongues: int = 5
    out: float = 1e9         # extinguished at

    def scale(self, t: float) -> float:
        if t < self.ignite or t >= self.out:
            return 0.0
        u = min(1.0, (t - self.ignite) / max(self.grow, 1e-3))
        return self.size * (0.15 + 0.85 * u ** 0.7)

    def label(self, t: float) -> float | None:
        s = self.scale(t)
        if s >= FIRE_MIN_VISIBLE:
            return 1.0
        return 0.0 if t < self.ignite or t >= self.out else None

    def draw(self, cv: Canvas, t: float) -> None:
        s = self.scale(t)
        if s <= 0:
            return
        rng = np.random.default_rng(self.seed)
        flick = 0.5 + 0.5 * np.sin(t * rng.uniform(9, 15) + rng.uniform(0, 6))
        cv.glow((self.x, self.y - 0.4 * s), 1.4 * s, (1.0, 0.45, 0.1), 0.25 + 0.2 * flick)
        cv.ellipse((self.x, self.y), 0.35 * s, 0.06 * s, (0.12, 0.07, 0.04))
        reg = cv.region(self.x - 0.6 * s, self.y - 1.25 * s, self.x + 0.6 * s, self.y + 0.05 * s)
        if reg is None:
            return
        sl, xs, ys = reg
        inten = np.zeros((ys.shape[0], xs.shape[1]), np.float32)
        for i in range(self.tongues):
            off = rng.uniform(-0.3, 0.3) * s
            hz = rng.uniform(5, 11)
            ph = rng.uniform(0, 2 * np.pi)
            hi = s * (0.55 + 0.45 * abs(np.sin(t * hz + ph))) * rng.uniform(0.6, 1.1)
            wi = s * rng.uniform(0.16, 0.28)
            v = (self.y - ys) / hi
            sway = 0.35 * wi * np.sin(v * rng.uniform(4, 8) - t * rng.uniform(8, 14) + ph) * v
            u = np.abs(xs - self.x - off - sway) / (wi * np.clip(1 - v, 0, 1) ** 0.8 + 1e-4)
            tongue = np.clip(1 - u, 0, 1) * np.clip(1 - v, 0, 1) ** 0.35 * (v > -0.05)
            inten = np.maximum(inten, tongue)
        alpha = smoothstep(0.02, 0.2, inten)
        colour = np.stack([
            np.ones_like(inten) * 1.0,
            np.clip(0.2 + 1.1 * inten, 0, 1),
            np.clip(-0.3 + 1.2 * inten, 0, 1) * 0.85,
        ], -1)
        a = alpha[..., None]
        cv.img[sl] = cv.img[sl] * (1 - a) + colour * a


@dataclass
class Smoke:
    x: float
    y: float
    start: float
    grey: float              # 0.15 black smoke .. 0.9 white
    density: float           # opacity of a fresh puff
    rate: float              # puffs per second
    rise: float              # scene units per second
    spread: float            # growth of puff radius per second
    wind: float
    seed: int
    size: float = 0.05
    puffs: list = field(default_factory=list)

    def __post_init__(self):
        rng = np.random.default_rng(self.seed)
        n = int(self.rate * 40) + 1
        births = self.start + np.sort(rng.uniform(0, 40, n))
        self.puffs = [(b, rng.normal(0, self.size * 0.5), rng.uniform(0.7, 1.3), rng.uniform(0, 6.28)) for b in births]
        self._tex = value_noise(rng, 64, 64, 6)

    def label(self, t: float) -> float | None:
        if t < self.start:
            return 0.0
        return 1.0 if t >= self.start + SMOKE_SETTLE_S else None

    def draw(self, cv: Canvas, t: float) -> None:
        if t < self.start:
            return
        life = 4.0
        for birth, dx, k, ph in self.puffs:
            age = t - birth
            if age < 0 or age > life:
                continue
            r = (self.size + self.spread * age) * k
            cx = self.x + dx + self.wind * age + 0.01 * np.sin(ph + age * 2)
            cy = self.y - self.rise * age * k
            op = self.density * min(1.0, age * 3) * (1 - age / life) ** 1.5
            reg = cv.region(cx - 2 * r, cy - 2 * r, cx + 2 * r, cy + 2 * r)
            if reg is None:
                continue
            sl, xs, ys = reg
            d2 = ((xs - cx) ** 2 + (ys - cy) ** 2) / (r * r)
            ti = ((ys * 40 + ph * 10).astype(int) % 64, (xs * 40 + age * 8).astype(int) % 64)
            tex = self._tex[ti[0], ti[1]]
            alpha = op * np.exp(-d2) * (0.55 + 0.9 * tex)
            cv.blend(sl, alpha, (self.grey, self.grey, self.grey * 1.02))


@dataclass
class Lamp:
    """A flashing warning light or a blinking sign: fire-coloured, flickering, not fire."""
    x: float
    y: float
    r: float
    colour: tuple
    period: float
    duty: float
    phase: float

    def draw(self, cv: Canvas, t: float) -> None:
        on = ((t + self.phase) % self.period) < self.period * self.duty
        cv.ellipse((self.x, self.y), self.r, self.r, tuple(np.asarray(self.colour) * (1.0 if on else 0.35)))
        if on:
            cv.glow((self.x, self.y), self.r * 3, self.colour, 0.35)


@dataclass
class Prop:
    """A red or orange object, still or moving (ball, box, clothing on a rack)."""
    x: float
    y: float
    w: float
    h: float
    colour: tuple
    vx: float
    round: bool

    def draw(self, cv: Canvas, t: float) -> None:
        x = self.x + self.vx * t
        if self.round:
            cv.ellipse((x, self.y), self.w, self.h, self.colour)
        else:
            cv.rect(x, self.y, x + self.w, self.y + self.h, self.colour)


@dataclass
class Screen:
    """A TV or monitor whose colours change every few frames."""
    x: float
    y: float
    w: float
    h: float
    seed: int

    def draw(self, cv: Canvas, t: float) -> None:
        rng = np.random.default_rng(self.seed + int(t * 3))
        cv.rect(self.x - 0.01, self.y - 0.01, self.x + self.w + 0.01, self.y + self.h + 0.01, (0.05, 0.05, 0.05))
        cv.rect(self.x, self.y, self.x + self.w, self.y + self.h, tuple(rng.uniform(0.1, 1.0, 3)))
