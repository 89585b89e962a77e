"""Random training windows and scripted clips (demo, test fixtures) from the synthetic scene model."""
import numpy as np

from .hazards import Fire, Lamp, Prop, Screen, Smoke
from .person import random_person
from .scene import Scene

# kind -> sampling weight for training windows. Hard negatives are their own kinds so their share is explicit.
KINDS = {
    'people': 0.18,       # walking, standing, sitting, bending, exercising
    'lie_down': 0.08,     # lying down on purpose (hard negative for fall)
    'fall': 0.28,
    'fire': 0.16,
    'smoke': 0.11,
    'lookalike': 0.14,    # flashing lamps, red/orange objects and clothes, screens, lighting changes
    'empty': 0.05,
}
SUPERSAMPLE = 2  # render at 2x and average down, like a camera image scaled to the model size


def _aspect(rng: np.random.Generator) -> float:
    return float(rng.choice([16 / 9, 4 / 3, 1.0], p=[0.6, 0.3, 0.1]))


def _ground_y(rng: np.random.Generator, scene: Scene) -> float:
    return float(rng.uniform(scene.horizon + 0.15 * (1 - scene.horizon), 0.97))


def _style(rng: np.random.Generator, scene: Scene) -> None:
    scene.light_gain = float(rng.uniform(0.55, 1.25))
    scene.light_wobble = float(rng.uniform(0, 0.05))
    scene.noise = float(rng.uniform(0.0, 0.035))
    scene.blur = bool(rng.random() < 0.3)
    if rng.random() < 0.15:
        scene.tint = (1.1, 0.95, 0.75)       # warm evening light
    elif rng.random() < 0.1:
        g = 1.0
        scene.tint = (g, g, g)
    if rng.random() < 0.1:
        scene.light_step = (float(rng.uniform(0, 8)), float(rng.uniform(0.5, 1.3)))


def _idle_activity(rng: np.random.Generator, person, until: float) -> None:
    """Fill a person's timeline with everyday activity up to `until` seconds."""
    while person.t < until:
        act = rng.choice(['walk', 'stand', 'sit', 'bend', 'exercise'], p=[0.45, 0.2, 0.15, 0.12, 0.08])
        if act == 'walk':
            person.walk_by(float(rng.uniform(1, 4)), float(rng.uniform(-0.5, 0.5)), float(rng.uniform(-0.03, 0.03)))
        elif act == 'stand':
            person.hold(float(rng.uniform(0.5, 2.5)))
        elif act == 'sit':
            person.sit(rng).hold(float(rng.uniform(1, 4))).stand_up(rng)
        elif act == 'bend':
            person.bend_over(rng)
        else:
            person.exercise(rng, float(rng.uniform(2, 4)))


def _add_people(rng, scene: Scene, n: int, until: float, red=False):
    for _ in range(n):
        p = random_person(rng, float(rng.uniform(0.1, scene.aspect - 0.1)), _ground_y(rng, scene), red_clothes=red and rng.random() < 0.6)
        _idle_activity(rng, p, until)
        scene.people.append(p)


def _add_lookalikes(rng, scene: Scene) -> None:
    for _ in range(rng.integers(1, 4)):
        k = rng.choice(['lamp', 'prop', 'screen'], p=[0.4, 0.45, 0.15])
        x = float(rng.uniform(0.05, scene.aspect - 0.1))
        y = float(rng.uniform(0.1, 0.9))
        warm = (float(rng.uniform(0.85, 1.0)), float(rng.uniform(0.15, 0.6)), float(rng.uniform(0.0, 0.15)))
        if k == 'lamp':
            scene.props.append(Lamp(x, y, float(rng.uniform(0.01, 0.05)), warm, float(rng.uniform(0.3, 1.6)),
                                    float(rng.uniform(0.2, 0.7)), float(rng.uniform(0, 2))))
        elif k == 'prop':
            s = float(rng.uniform(0.03, 0.2))
            scene.props.append(Prop(x, y, s, s * float(rng.uniform(0.5, 1.5)), warm, float(rng.choice([0, rng.uniform(-0.3, 0.3)])),
                                    bool(rng.random() < 0.5)))
        else:
            scene.props.append(Screen(x, y * 0.6, float(rng.uniform(0.1, 0.25)), float(rng.uniform(0.07, 0.15)), int(rng.integers(1 << 30))))


def _fire(rng, scene: Scene, ignite: float) -> Fire:
    size = float(rng.uniform(0.06, 0.5))
    return Fire(float(rng.uniform(0.08, scene.aspect - 0.08)), _ground_y(rng, scene), ignite, float(rng.uniform(0.5, 6.0)),
                size, int(rng.integers(1 << 30)), tongues=int(rng.integers(3, 8)))


def _smoke(rng, scene: Scene, x: float, y: float, start: float, dark: bool) -> Smoke:
    return Smoke(x, y, start, grey=float(rng.uniform(0.12, 0.4) if dark else rng.uniform(0.55, 0.92)),
                 density=float(rng.uniform(0.35, 0.85)), rate=float(rng.uniform(3, 10)), rise=float(rng.uniform(0.05, 0.2)),
                 spread=float(rng.uniform(0.02, 0.08)), wind=float(rng.uniform(-0.06, 0.06)), seed=int(rng.integers(1 << 30)),
                 size=float(rng.uniform(0.03, 0.1)))


def random_window(rng: np.random.Generator, kind: str, frames: int, fps: float, width: int, height: int):
    """Render one training window. Returns (uint8 [T,H,W,3], labels float32 [3] with NaN = ambiguous)."""
    scene = Scene.empty(rng, width * SUPERSAMPLE, height * SUPERSAMPLE, _aspect(rng))
    _style(rng, scene)
    span = frames / fps
    horizon_s = 10.0
    start = float(rng.uniform(0, horizon_s - span))
    if kind == 'people':
        _add_people(rng, scene, int(rng.integers(1, 4)), horizon_s, red=rng.random() < 0.2)
    elif kind == 'lie_down':
        p = random_person(rng, float(rng.uniform(0.2, scene.aspect - 0.2)), _ground_y(rng, scene))
        _idle_activity(rng, p, float(rng.uniform(0, 3)))
        t_lie = p.t
        p.lie_down(rng).hold(10)
        scene.people.append(p)
        start = float(np.clip(rng.uniform(t_lie - 0.5, p.lying_from[-1] + 2), 0, None))
        if rng.random() < 0.3:
            _add_people(rng, scene, 1, horizon_s + start)
    elif kind == 'fall':
        p = random_person(rng, float(rng.uniform(0.2, scene.aspect - 0.2)), _ground_y(rng, scene), red_clothes=rng.random() < 0.1)
        pre = float(rng.uniform(0.5, 4))
        if rng.random() < 0.2:
            p.sit(rng).hold(pre)
        else:
            _idle_activity(rng, p, pre)
        p.fall(rng).hold(10)
        scene.people.append(p)
        a, b = p.falls[-1]
        # most fall windows centre on the transition; some catch the run-up, which is labelled normal
        start = float(rng.uniform(b - span + 0.1, a - 0.1)) if rng.random() < 0.85 else float(rng.uniform(max(a - span - 2, 0), max(a - span, 0)))
        start = max(start, 0.0)
        if rng.random() < 0.3:
            _add_people(rng, scene, 1, horizon_s + start)
    elif kind == 'fire':
        ignite = float(rng.uniform(-6, 3)) if rng.random() < 0.8 else start + float(rng.uniform(-1, span))
        fire = _fire(rng, scene, ignite)
        scene.fires.append(fire)
        if rng.random() < 0.6:
            scene.smokes.append(_smoke(rng, scene, fire.x, fire.y - fire.size * 0.8, ignite + float(rng.uniform(0, 2)), rng.random() < 0.6))
        if rng.random() < 0.4:
            _add_people(rng, scene, 1, horizon_s)
        if rng.random() < 0.3:
            _add_lookalikes(rng, scene)
    elif kind == 'smoke':
        t0 = float(rng.uniform(-6, 2)) if rng.random() < 0.85 else start + float(rng.uniform(-1, span))
        y = float(rng.uniform(scene.horizon, 1.1))
        scene.smokes.append(_smoke(rng, scene, float(rng.uniform(0.1, scene.aspect - 0.1)), y, t0, rng.random() < 0.4))
        if rng.random() < 0.4:
            _add_people(rng, scene, 1, horizon_s)
        if rng.random() < 0.2:
            _add_lookalikes(rng, scene)
    elif kind == 'lookalike':
        _add_lookalikes(rng, scene)
        if rng.random() < 0.6:
            _add_people(rng, scene, int(rng.integers(1, 3)), horizon_s, red=True)
        if rng.random() < 0.3:
            scene.light_step = (start + float(rng.uniform(0, span)), float(rng.uniform(0.4, 1.4)))
    elif kind == 'empty':
        if rng.random() < 0.4:
            scene.light_step = (start + float(rng.uniform(0, span)), float(rng.uniform(0.4, 1.4)))
    else:
        raise ValueError(f'unknown window kind {kind!r}; expected one of {sorted(KINDS)}')
    times = start + np.arange(frames) / fps
    video = scene.frames(times).astype(np.float32)
    t, h, w, c = video.shape
    video = video.reshape(t, h // SUPERSAMPLE, SUPERSAMPLE, w // SUPERSAMPLE, SUPERSAMPLE, c).mean((2, 4))
    return (video + 0.5).astype(np.uint8), scene.window_labels(times)


# ---- scripted clips --------------------------------------------------------------------------------------------

def scripted_scene(name: str, width: int, height: int, seed: int = 7) -> tuple[Scene, float, dict]:
    """Scenes for the demo camera and the test fixtures: (scene, duration s, ground-truth onsets in s)."""
    rng = np.random.default_rng(seed)
    scene = Scene.empty(rng, width, height, width / height)
    scene.noise = 0.012
    onsets: dict = {}
    if name in ('fall', 'demo'):
        p = random_person(rng, 0.35 * scene.aspect, 0.78)
        p.facing = 1.0
        p.walk_by(4.0, 0.45).hold(0.5)
        p.fall(rng, dur=0.7, kind='roll').hold(60)
        scene.people.append(p)
        onsets['fall'] = p.falls[0][0]
    if name == 'normal':
        p = random_person(rng, 0.2 * scene.aspect, 0.8)
        p.facing = 1.0
        p.walk_by(3.0, 0.5).hold(0.8).sit(rng).hold(3.0).stand_up(rng).bend_over(rng).walk_by(3.0, -0.4).hold(30)
        scene.people.append(p)
        scene.props.append(Prop(0.12 * scene.aspect, 0.35, 0.08, 0.06, (0.9, 0.3, 0.05), 0.0, False))
    if name in ('fire', 'demo'):
        ignite = 1.0 if name == 'fire' else 13.0
        fire = Fire(0.78 * scene.aspect, 0.72, ignite, 4.0, 0.3, seed + 1, tongues=6)
        scene.fires.append(fire)
        scene.smokes.append(Smoke(fire.x, fire.y - 0.2, ignite + 2.0, 0.3, 0.6, 6, 0.12, 0.05, 0.02, seed + 2, size=0.06))
        onsets['fire'] = ignite
    duration = {'fall': 12.0, 'normal': 14.0, 'fire': 12.0, 'demo': 30.0}.get(name)
    if duration is None:
        raise ValueError(f'unknown scripted clip {name!r}; expected fall, normal, fire or demo')
    return scene, duration, onsets
