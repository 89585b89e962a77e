"""A scene is a background plus actors on a timeline; it renders frames and labels time windows.

Labels are per window and per class (fall, fire, smoke): 1, 0, or NaN for "ambiguous, do not train on it"
(a window that catches only the tail of a fall, the person lying after a fall, a fire still too small to see).
"""
from dataclasses import dataclass, field

import numpy as np

from .background import render_background
from .canvas import Canvas
from .hazards import Fire, Smoke
from .person import Person

CLASSES = ('fall', 'fire', 'smoke')
FALL_COVER = 0.6  # share of a fall transition a window must contain to count as a fall window


@dataclass
class Scene:
    width: int
    height: int
    aspect: float
    background: np.ndarray
    horizon: float
    people: list = field(default_factory=list)
    fires: list = field(default_factory=list)
    smokes: list = field(default_factory=list)
    props: list = field(default_factory=list)
    light_gain: float = 1.0
    light_step: tuple | None = None       # (time, new gain): lights switched on/off
    light_wobble: float = 0.0
    tint: tuple = (1.0, 1.0, 1.0)
    noise: float = 0.01
    blur: bool = False
    seed: int = 0

    @classmethod
    def empty(cls, rng: np.random.Generator, width: int, height: int, aspect: float) -> 'Scene':
        bg, horizon = render_background(rng, width, height, aspect)
        return cls(width, height, aspect, bg, horizon, seed=int(rng.integers(1 << 30)))

    def frame(self, t: float) -> np.ndarray:
        cv = Canvas(self.background.copy(), self.aspect)
        for prop in self.props:
            prop.draw(cv, t)
        actors = sorted(self.people, key=lambda p: p.pose_at(t).y)
        for fire in self.fires:
            fire.draw(cv, t)
        for person in actors:
            person.draw(cv, t, self.horizon)
        for smoke in self.smokes:
            smoke.draw(cv, t)
        gain = self.light_gain
        if self.light_step is not None and t >= self.light_step[0]:
            gain = self.light_step[1]
        gain *= 1.0 + self.light_wobble * np.sin(t * 1.7)
        cv.img *= gain * np.asarray(self.tint, np.float32)
        if self.blur:
            cv.img[1:-1, 1:-1] = (cv.img[1:-1, 1:-1] * 2 + cv.img[:-2, 1:-1] + cv.img[2:, 1:-1] + cv.img[1:-1, :-2] + cv.img[1:-1, 2:]) / 6
        if self.noise > 0:
            rng = np.random.default_rng(self.seed + int(t * 1000))
            cv.img += rng.normal(0, self.noise, cv.img.shape).astype(np.float32)
        return cv.to_uint8()

    def frames(self, times) -> np.ndarray:
        return np.stack([self.frame(float(t)) for t in times])

    def window_labels(self, times) -> np.ndarray:
        """[fall, fire, smoke] for a window whose frames are sampled at `times` (NaN = ambiguous)."""
        times = np.asarray(times, np.float64)
        dt = float(times[1] - times[0]) if len(times) > 1 else 0.25
        w0, w1 = times[0] - dt / 2, times[-1] + dt / 2
        return np.array([self._fall_label(w0, w1), _presence(self.fires, times), _presence(self.smokes, times)], np.float32)

    def _fall_label(self, w0: float, w1: float) -> float:
        label = 0.0
        for person in self.people:
            for a, b in person.falls:
                cover = max(0.0, min(w1, b) - max(w0, a)) / max(b - a, 1e-6)
                if cover >= FALL_COVER:
                    return 1.0
                if cover > 0 or w0 >= b:
                    label = np.nan
        return label


def _presence(sources: list, times) -> float:
    if not sources:
        return 0.0
    per_frame = []
    for t in times:
        ls = [s.label(float(t)) for s in sources]
        if any(v == 1.0 for v in ls):
            per_frame.append(1.0)
        elif any(v is None for v in ls):
            per_frame.append(np.nan)
        else:
            per_frame.append(0.0)
    arr = np.array(per_frame)
    if np.all(arr == 0):
        return 0.0
    if np.nansum(arr) >= len(arr) / 2 and not np.isnan(arr[-1]):
        return 1.0
    return np.nan


__all__ = ['Scene', 'CLASSES', 'Fire', 'Smoke', 'Person']
