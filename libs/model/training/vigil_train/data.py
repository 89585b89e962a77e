"""Training data: synthetic windows from the scene generator and windows cut from the real clips in ../shared/clips.

Both are turned into uint8 arrays [N, T, H, W, 3] with float labels [N, 3] (fall, fire, smoke; NaN = ambiguous)
and cached under .cache/ so a second run of the recipe skips rendering and decoding.
"""
import csv
import hashlib
import json
import os
import re
import subprocess
from dataclasses import dataclass
from multiprocessing import Pool

import numpy as np

from .progress import Progress
from .synth.generator import KINDS, random_window

CLASS_INDEX = {'fall': 0, 'fire': 1, 'smoke': 2}


@dataclass
class WindowSet:
    x: np.ndarray        # uint8 [N, T, H, W, 3]
    y: np.ndarray        # float32 [N, 3]
    group: np.ndarray    # clip id / synthetic kind per window, for balanced sampling and reports
    source: str
    origin: np.ndarray | None = None   # real windows: the repository each clip came from (one camera site or dataset)

    def __len__(self) -> int:
        return len(self.y)

    def origins(self) -> np.ndarray:
        """The source of every window ('unknown' for sets that do not record one, e.g. synthetic)."""
        return self.origin if self.origin is not None else np.array(['unknown'] * len(self))


def _render_chunk(args):
    seed, kinds, frames, fps, size = args
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for kind in kinds:
        x, y = random_window(rng, kind, frames, fps, size, size)
        xs.append(x)
        ys.append(y)
    return np.stack(xs), np.stack(ys)


def synthetic_windows(n: int, seed: int, frames: int, fps: float, size: int, cache: str, workers: int = 2) -> WindowSet:
    key = hashlib.sha1(json.dumps([n, seed, frames, fps, size, KINDS, _generator_version()]).encode()).hexdigest()[:12]
    path = os.path.join(cache, f'synth-{n}-{seed}-{key}.npz')
    if os.path.exists(path):
        d = np.load(path)
        return WindowSet(d['x'], d['y'], d['group'], 'synthetic')
    rng = np.random.default_rng(seed)
    names = list(KINDS)
    kinds = rng.choice(names, size=n, p=np.array([KINDS[k] for k in names]) / sum(KINDS.values()))
    chunk = 50
    jobs = [(seed * 100003 + i, list(kinds[i:i + chunk]), frames, fps, size) for i in range(0, n, chunk)]
    xs, ys = [], []
    bar = Progress(n, f'render synthetic/{seed}')
    with Pool(workers) as pool:
        for x, y in pool.imap(_render_chunk, jobs):
            xs.append(x)
            ys.append(y)
            bar.update(len(y))
    bar.close()
    out = WindowSet(np.concatenate(xs), np.concatenate(ys), kinds.astype(str), 'synthetic')
    os.makedirs(cache, exist_ok=True)
    np.savez(path, x=out.x, y=out.y, group=out.group)
    return out


def _generator_version() -> str:
    """Hash of the generator sources, so editing the generator invalidates cached renders."""
    h = hashlib.sha1()
    base = os.path.join(os.path.dirname(__file__), 'synth')
    for name in sorted(os.listdir(base)):
        if name.endswith('.py'):
            with open(os.path.join(base, name), 'rb') as f:
                h.update(f.read())
    return h.hexdigest()[:12]


def source_balanced(bucket: np.ndarray, origin: np.ndarray) -> np.ndarray:
    """Unnormalised sampling weight per window: every bucket present weighs the same, split evenly over the sources
    (repositories) in it, then over their windows, so one lab with many clips weighs as much as one camera."""
    w = np.zeros(len(bucket))
    for b in np.unique(bucket):
        in_bucket = bucket == b
        sources = np.unique(origin[in_bucket])
        for src in sources:
            member = in_bucket & (origin == src)
            w[member] = 1.0 / (len(sources) * member.sum())
    return w


# ---- real clips -------------------------------------------------------------------------------------------------

@dataclass
class Clip:
    file: str
    cls: str
    split: str
    duration: float
    span: tuple | None   # fall transition (start, end) seconds
    origin: str = 'unknown'   # source repository: clips of one source share cameras, so they are weighed together


def read_manifest(clips_dir: str) -> list[Clip]:
    path = os.path.join(clips_dir, 'manifest.tsv')
    if not os.path.exists(path):
        raise FileNotFoundError(f'No manifest.tsv in {clips_dir}; pass --clips with the folder that holds the real clips')
    out = []
    with open(path, newline='') as f:
        for row in csv.DictReader(f, delimiter='\t'):
            span = None
            m = re.search(r'(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)', row.get('event_span_s', ''))
            if row['class'] == 'fall' and m:
                span = (float(m.group(1)), float(m.group(2)))
            out.append(Clip(os.path.join(clips_dir, row['file']), row['class'], row['split'], float(row['duration_s']), span,
                            row.get('source_repo') or 'unknown'))
    return out


def decode_clip(path: str, fps: float, size: int) -> np.ndarray:
    """Decode exactly as the edge agent does: ffmpeg fps filter, then scale (squash) to the model size, rgb24."""
    raw = subprocess.run(['ffmpeg', '-hide_banner', '-loglevel', 'error', '-nostdin', '-i', path, '-an',
                          '-vf', f'fps={fps},scale={size}:{size}', '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1'],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, size, size, 3)


def clip_window_labels(clip: Clip, t0: float, t1: float) -> np.ndarray:
    """Labels of the window [t0, t1) of a real clip from its manifest row (see scene.py for the same rules)."""
    fall = fire = smoke = 0.0
    if clip.cls == 'fall':
        if clip.span is None:
            fall = np.nan
        else:
            a, b = clip.span
            cover = max(0.0, min(t1, b) - max(t0, a)) / max(b - a, 1e-6)
            fall = 1.0 if cover >= 0.6 else (0.0 if t1 <= a - 0.5 else np.nan)
    elif clip.cls == 'fire':
        fire, smoke = 1.0, np.nan       # most fire footage has some smoke; the manifest does not say when
    elif clip.cls == 'smoke':
        smoke, fire = 1.0, np.nan       # some smoke clips show a low fire line
    return np.array([fall, fire, smoke], np.float32)


def _decode_job(args):
    path, fps, size = args
    return decode_clip(path, fps, size)


def real_windows(clips: list[Clip], frames: int, fps: float, size: int, hop: int, cache: str, label: str) -> WindowSet:
    key = hashlib.sha1(json.dumps([[c.file, c.cls, c.span, c.origin] for c in clips] + [frames, fps, size, hop]).encode()).hexdigest()[:12]
    path = os.path.join(cache, f'real-{label}-{key}.npz')
    if os.path.exists(path):
        d = np.load(path)
        return WindowSet(d['x'], d['y'], d['group'], 'real', d['origin'])
    xs, ys, groups, origins = [], [], [], []
    bar = Progress(len(clips), f'decode {label} clips')
    with Pool(2) as pool:
        for clip, video in zip(clips, pool.imap(_decode_job, [(c.file, fps, size) for c in clips])):
            for s in range(0, len(video) - frames + 1, hop):
                xs.append(video[s:s + frames])
                ys.append(clip_window_labels(clip, s / fps, (s + frames) / fps))
                groups.append(os.path.relpath(clip.file, os.path.dirname(os.path.dirname(clip.file))))
                origins.append(clip.origin)
            bar.update(1)
    bar.close()
    out = WindowSet(np.stack(xs), np.stack(ys), np.array(groups), 'real', np.array(origins))
    os.makedirs(cache, exist_ok=True)
    np.savez(path, x=out.x, y=out.y, group=out.group, origin=out.origin)
    return out
