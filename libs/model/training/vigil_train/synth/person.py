"""An articulated person driven by a timeline of poses: walk, sit, bend, exercise, lie down, fall.

Falls and deliberate lying-down end in the same pose; what separates them is speed (a fall tips over in 0.4-1.0 s,
lying down takes several seconds) and the path there (a fall has no controlled squat first). The generator
records every fall's transition interval so windows can be labelled from it.
"""
from dataclasses import dataclass, field, replace

import numpy as np

from .canvas import Canvas

DEG = np.pi / 180.0


@dataclass
class Pose:
    x: float = 0.5       # feet position in scene units
    y: float = 0.8
    tilt: float = 0.0    # rotation of the whole body about the feet, radians (+ = towards +x)
    pitch: float = 0.0   # fall towards/away from the camera: foreshortening, radians
    crouch: float = 0.0  # 0 standing .. 1 sitting (thighs horizontal)
    squat: float = 0.0   # 0 .. 1 deep squat (knees forward, shins tilted)
    bend: float = 0.0    # torso forward, radians
    arms: float = 0.0    # arm raise 0 (down) .. 1 (overhead)
    walk: float = 0.0    # gait amplitude 0..1
    hop: float = 0.0     # feet off the ground, body heights


_FIELDS = ('x', 'y', 'tilt', 'pitch', 'crouch', 'squat', 'bend', 'arms', 'walk', 'hop')


@dataclass
class _Segment:
    t0: float
    t1: float
    a: Pose
    b: Pose
    ease: str


def _ease(kind: str, u: float) -> float:
    if kind == 'in':        # accelerating, like a body toppling under gravity
        return u * u
    if kind == 'smooth':
        return u * u * (3 - 2 * u)
    return u


@dataclass
class Person:
    height: float
    facing: float                 # -1 left profile, 0 towards camera, 1 right profile
    skin: tuple
    shirt: tuple
    pants: tuple
    pose: Pose
    t: float = 0.0
    segments: list = field(default_factory=list)
    falls: list = field(default_factory=list)       # (t_start, t_end) of each fall transition
    lying_from: list = field(default_factory=list)  # times when the person ends up lying (fall or on purpose)
    gait_hz: float = 1.8
    jitter_seed: int = 0
    chairs: list = field(default_factory=list)      # (x, y) of chairs the person sits on

    # ---- timeline builder -------------------------------------------------------------------------------------
    def to(self, dur: float, ease: str = 'smooth', **changes) -> 'Person':
        b = replace(self.pose, **changes)
        self.segments.append(_Segment(self.t, self.t + dur, self.pose, b, ease))
        self.pose, self.t = b, self.t + dur
        return self

    def hold(self, dur: float) -> 'Person':
        return self.to(dur, 'linear')

    def walk_by(self, dur: float, dx: float, dy: float = 0.0) -> 'Person':
        if abs(dx) > 1e-3 and self.facing != 0:
            self.facing = float(np.sign(dx))
        self.to(min(0.3, dur / 3), 'smooth', walk=1.0)
        self.to(dur, 'linear', x=self.pose.x + dx, y=self.pose.y + dy)
        return self.to(min(0.3, dur / 3), 'smooth', walk=0.0)

    def fall(self, rng: np.random.Generator, dur: float | None = None, kind: str | None = None) -> 'Person':
        dur = float(dur if dur is not None else rng.uniform(0.4, 1.0))
        side = float(rng.choice([-1.0, 1.0]))
        t0 = self.t
        kind = kind or rng.choice(['roll', 'pitch', 'collapse'], p=[0.5, 0.3, 0.2])
        if kind == 'roll':
            self.to(dur, 'in', tilt=side * rng.uniform(75, 95) * DEG, crouch=rng.uniform(0, 0.3), arms=rng.uniform(0.2, 0.7), walk=0.0)
        elif kind == 'pitch':
            self.to(dur, 'in', pitch=side * rng.uniform(70, 88) * DEG, arms=rng.uniform(0.3, 0.9), walk=0.0)
        else:
            self.to(dur * 0.4, 'in', crouch=0.8, squat=0.3, walk=0.0)
            self.to(dur * 0.6, 'in', tilt=side * rng.uniform(75, 95) * DEG, crouch=0.3, squat=0.0, arms=0.5)
        self.falls.append((t0, self.t))
        self.lying_from.append(self.t)
        return self.to(0.15, 'smooth', crouch=max(self.pose.crouch - 0.1, 0), arms=self.pose.arms * 0.7)

    def lie_down(self, rng: np.random.Generator) -> 'Person':
        side = float(rng.choice([-1.0, 1.0]))
        self.to(rng.uniform(1.2, 2.2), 'smooth', squat=0.9, crouch=0.2, walk=0.0)
        self.to(rng.uniform(0.8, 1.5), 'smooth', tilt=side * 35 * DEG, squat=0.6)
        self.to(rng.uniform(1.2, 2.5), 'smooth', tilt=side * rng.uniform(80, 92) * DEG, squat=0.0, crouch=0.1)
        self.lying_from.append(self.t)
        return self

    def sit(self, rng: np.random.Generator) -> 'Person':
        self.chairs.append((self.pose.x - 0.12 * self.facing * self.height, self.pose.y))
        return self.to(rng.uniform(0.8, 1.6), 'smooth', crouch=1.0, walk=0.0)

    def stand_up(self, rng: np.random.Generator) -> 'Person':
        return self.to(rng.uniform(0.8, 1.5), 'smooth', crouch=0.0, squat=0.0, tilt=0.0, pitch=0.0, bend=0.0)

    def bend_over(self, rng: np.random.Generator) -> 'Person':
        self.to(rng.uniform(0.6, 1.2), 'smooth', bend=rng.uniform(50, 85) * DEG, squat=rng.uniform(0, 0.3), arms=0.1)
        self.hold(rng.uniform(0.3, 1.2))
        return self.to(rng.uniform(0.6, 1.2), 'smooth', bend=0.0, squat=0.0, arms=0.0)

    def exercise(self, rng: np.random.Generator, dur: float) -> 'Person':
        end = self.t + dur
        squats = rng.random() < 0.5
        while self.t < end:
            half = rng.uniform(0.35, 0.9)
            if squats:
                self.to(half, 'smooth', squat=0.85, arms=0.5).to(half, 'smooth', squat=0.0, arms=0.0)
            else:
                self.to(half, 'smooth', arms=1.0, hop=0.04).to(half, 'smooth', arms=0.0, hop=0.0)
        return self

    def scaled_height(self, y: float, horizon: float) -> float:
        depth = np.clip((y - horizon) / (1.0 - horizon), 0.05, 1.2)
        return self.height * (0.35 + 0.75 * depth)

    # ---- evaluation -------------------------------------------------------------------------------------------
    def pose_at(self, t: float) -> Pose:
        if not self.segments or t >= self.segments[-1].t1:
            return self.pose
        if t <= self.segments[0].t0:
            return self.segments[0].a
        for s in self.segments:
            if s.t0 <= t < s.t1:
                u = _ease(s.ease, (t - s.t0) / max(s.t1 - s.t0, 1e-6))
                return Pose(**{f: getattr(s.a, f) + (getattr(s.b, f) - getattr(s.a, f)) * u for f in _FIELDS})
        return self.pose

    def draw(self, cv: Canvas, t: float, horizon: float) -> None:
        p = self.pose_at(t)
        h = self.scaled_height(p.y, horizon)
        for cx, cy in self.chairs:
            ch = self.scaled_height(cy, horizon)
            cv.rect(cx - 0.09 * ch, cy - 0.26 * ch, cx + 0.09 * ch, cy - 0.22 * ch, (0.35, 0.22, 0.12))
            cv.rect(cx - 0.085 * ch, cy - 0.24 * ch, cx - 0.065 * ch, cy, (0.3, 0.18, 0.1))
            cv.rect(cx + 0.065 * ch, cy - 0.24 * ch, cx + 0.085 * ch, cy, (0.3, 0.18, 0.1))
            back = cx - 0.09 * ch * self.facing if self.facing else cx
            cv.rect(back - 0.01 * ch, cy - 0.5 * ch, back + 0.01 * ch, cy - 0.22 * ch, (0.3, 0.18, 0.1))
        side = abs(self.facing)
        f = self.facing if self.facing != 0 else 1.0
        phase = 2 * np.pi * self.gait_hz * t
        swing = 28 * DEG * p.walk * np.sin(phase)
        joints = {}
        hip_base = np.array([0.0, 0.5])
        legs = []
        for i, s in enumerate((1.0, -1.0)):
            lateral = s * 0.035 * (1 - side)
            thigh = s * swing * side + f * side * (p.crouch * 85 * DEG + p.squat * 100 * DEG)
            shin = s * swing * 0.5 * side - f * side * p.squat * 60 * DEG
            if side < 0.5:  # seen from the front, knees bend outwards instead of forwards
                thigh += s * (p.crouch * 20 + p.squat * 35) * DEG
                shin -= s * p.squat * 20 * DEG
            knee = hip_base + [lateral + 0.25 * np.sin(thigh), -0.25 * np.cos(thigh)]
            foot = knee + [0.25 * np.sin(shin) + lateral * 0.2, -0.25 * np.cos(shin)]
            if side < 0.5:
                knee[1] = hip_base[1] - 0.25 * (1 - 0.9 * max(p.crouch * 0.5, p.squat))
                foot[1] = knee[1] - 0.25 * (1 - 0.3 * p.squat)
            legs.append((knee, foot))
        ground = min(legs[0][1][1], legs[1][1][1])
        off = np.array([0.0, -ground + p.hop])
        hip = hip_base + off
        legs = [(k + off, ft + off) for k, ft in legs]
        tor = np.array([f * side * np.sin(p.bend), np.cos(p.bend) * (1 - (1 - side) * 0.4 * np.sin(p.bend))])
        neck = hip + 0.32 * tor
        head = hip + 0.43 * tor
        arms = []
        for s in (1.0, -1.0):
            lift = p.arms * 150 * DEG
            a_up = -s * swing * side * 0.8 + (s * lift if side < 0.5 else f * lift)
            ang = np.arctan2(tor[0], tor[1]) + np.pi + a_up + (s * 0.15 if side < 0.5 else 0)
            sh = neck + [s * 0.04 * (1 - side), -0.02]
            el = sh + 0.15 * np.array([np.sin(ang), np.cos(ang)])
            ang2 = ang - f * 20 * DEG * side
            arms.append((sh, el, el + 0.14 * np.array([np.sin(ang2), np.cos(ang2)])))

        ct, st = np.cos(p.tilt), np.sin(p.tilt)
        cp, sp = np.cos(p.pitch), np.sin(p.pitch)

        def to_scene(v):
            # pitch tips the body along the camera axis: its height shrinks and, seen from a camera above the
            # floor, the part towards the camera moves down the image (+pitch) or up (-pitch)
            x, y = v[0] * ct + v[1] * st, -v[0] * st + v[1] * ct
            return (p.x + h * x, p.y - h * y * cp + h * 0.45 * y * sp)

        rng = np.random.default_rng(self.jitter_seed + int(t * 7))
        dark = tuple(np.clip(np.asarray(self.pants) * 0.85, 0, 1))
        far, near = (legs[1], legs[0]) if self.facing >= 0 else (legs[0], legs[1])
        for (knee, foot), col in ((far, dark), (near, self.pants)):
            cv.capsule(to_scene(hip), to_scene(knee), 0.038 * h, col)
            cv.capsule(to_scene(knee), to_scene(foot), 0.032 * h, col)
        cv.capsule(to_scene(hip), to_scene(neck), 0.06 * h * (0.8 + 0.4 * (1 - side)), self.shirt)
        for sh, el, hand in arms:
            cv.capsule(to_scene(sh), to_scene(el), 0.027 * h, self.shirt)
            cv.capsule(to_scene(el), to_scene(hand), 0.023 * h, self.skin)
        hx, hy = to_scene(head)
        cv.ellipse((hx + rng.normal(0, 0.0005), hy), 0.058 * h, 0.065 * h, self.skin)
        cv.ellipse((hx, hy - 0.03 * h), 0.055 * h, 0.035 * h, tuple(np.asarray(self.skin) * 0.4))


SKINS = [(0.95, 0.8, 0.7), (0.85, 0.65, 0.5), (0.65, 0.45, 0.3), (0.45, 0.3, 0.2), (0.98, 0.87, 0.78)]


def random_person(rng: np.random.Generator, x: float, y: float, red_clothes: bool = False) -> Person:
    def color():
        return tuple(float(c) for c in np.clip(rng.uniform(0.05, 0.9, 3), 0, 1))
    shirt = (rng.uniform(0.75, 0.95), rng.uniform(0.1, 0.45), rng.uniform(0.0, 0.15)) if red_clothes else color()
    return Person(
        height=float(rng.uniform(0.55, 1.05)),
        facing=float(rng.choice([-1.0, 0.0, 1.0], p=[0.35, 0.3, 0.35])),
        skin=SKINS[rng.integers(len(SKINS))],
        shirt=tuple(float(c) for c in shirt),
        pants=color(),
        pose=Pose(x=x, y=y),
        gait_hz=float(rng.uniform(1.4, 2.2)),
        jitter_seed=int(rng.integers(1 << 30)),
    )
