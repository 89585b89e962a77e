#!/usr/bin/python3
"""Render a scripted synthetic clip (demo camera, test fixtures) to an H.264 MP4 with ffmpeg.

  /usr/bin/python3 render_clip.py demo out.mp4 [--width 640 --height 360 --fps 15 --seed 7]

Prints one JSON line with the ground truth (onset seconds per event kind) when done.
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vigil_train.synth.generator import scripted_scene  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('scenario', choices=['demo', 'fall', 'fire', 'normal'])
    ap.add_argument('out')
    ap.add_argument('--width', type=int, default=640)
    ap.add_argument('--height', type=int, default=360)
    ap.add_argument('--fps', type=int, default=15)
    ap.add_argument('--seed', type=int, default=7)
    args = ap.parse_args()
    scene, duration, onsets = scripted_scene(args.scenario, args.width, args.height, args.seed)
    n = int(round(duration * args.fps))
    tmp = args.out + '.part.mp4'
    enc = subprocess.Popen([
        'ffmpeg', '-hide_banner', '-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24',
        '-s', f'{args.width}x{args.height}', '-r', str(args.fps), '-i', 'pipe:0',
        '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p',
        '-g', str(args.fps), '-movflags', '+faststart', tmp,
    ], stdin=subprocess.PIPE)
    for i in range(n):
        enc.stdin.write(scene.frame(i / args.fps).tobytes())
        if sys.stderr.isatty() and i % args.fps == 0:
            sys.stderr.write(f'\rrendering {args.scenario}: {100 * (i + 1) // n:3d}%')
    enc.stdin.close()
    if enc.wait() != 0:
        sys.exit(f'ffmpeg failed to encode {args.out}')
    os.replace(tmp, args.out)
    if sys.stderr.isatty():
        sys.stderr.write('\r' + ' ' * 40 + '\r')
    print(json.dumps({'scenario': args.scenario, 'file': args.out, 'duration_s': duration, 'fps': args.fps,
                      'onsets_s': {k: round(float(v), 3) for k, v in onsets.items()}}))


if __name__ == '__main__':
    np.seterr(all='ignore')
    main()
