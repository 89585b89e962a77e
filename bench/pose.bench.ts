/**
 * The pose stage's cost per frame on this machine, step by step, against bare onnxruntime-node running the pose
 * graph on a ready tensor in the same process and run:
 *   crop   the tracked region of the 384x384 letterboxed picture resampled to 192x192 (JS)
 *   pose   PoseTracker.next: crop + MoveNet + keypoints mapped back (what the agent runs per frame)
 *   window the pose-fall model on the last 8 poses (once per scored window)
 * Frames are the project's fall clip (its figure walks, falls and lies), letterboxed as the agent decodes them.
 *
 *   npm run bench:pose [-- --runs 200 --threads 1]
 */
import { cropResize, nextCropRegion, PoseStage, PoseTracker, resolvePoseFallCard, type Keypoint } from '@vigil/model';
import { FfmpegFrameSource, inputArguments, StreamEndedError, type Frame } from '@vigil/streams';
import * as ort from 'onnxruntime-node';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ensureClip, REPO_ROOT } from '../scripts/demo-clip';
import { benchOptions } from './options';

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.floor(0.95 * s.length))] };
};

async function main(): Promise<void> {
  const options = benchOptions('Usage: npm run bench:pose [-- --runs 200 --threads 1]', { runs: { type: 'string' }, threads: { type: 'string' } });
  const runs = options.number('runs', 200);
  const threads = options.number('threads', 1);
  const stage = await PoseStage.open(resolvePoseFallCard('builtin'), { intraOpThreads: threads });
  const picture = stage.pictureSize;
  const clip = await ensureClip('fall', join(REPO_ROOT, '.cache', 'bench', 'fall-640x360.mp4'), { width: 640, height: 360 });
  const source = new FfmpegFrameSource({ input: inputArguments(clip, { realtime: false }), fps: 4, size: picture, delivery: 'every' });
  const frames: Frame[] = [];
  try {
    for await (const f of source.frames()) frames.push(f);
  } catch (err) {
    if (!(err instanceof StreamEndedError)) throw err;
  }
  const size = stage.estimator.size;
  const bare = await ort.InferenceSession.create(join(REPO_ROOT, 'dist', 'libs', 'model', 'weights', stage.estimator.card.file), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
  const ready = new ort.Tensor('int32', Int32Array.from(cropResize(frames[0], { y0: 0, x0: 0, h: 1, w: 1 }, size)), [1, size, size, 3]);
  const tracker = new PoseTracker(stage.estimator, 'crop');
  const scorer = stage.createScorer();
  const region = nextCropRegion(await tracker.next(frames[Math.floor(frames.length / 3)]));
  const out = new Uint8Array(size * size * 3);
  const poses: Keypoint[][] = [];
  for (const f of frames.slice(0, 8)) poses.push(await tracker.next(f));
  for (const f of frames.slice(0, 8)) await scorer.push(f);
  const t = { bare: [] as number[], crop: [] as number[], pose: [] as number[], window: [] as number[] };
  for (let i = 0; i < runs + 10; i++) {
    const f = frames[i % frames.length];
    const steps: Array<[keyof typeof t, () => Promise<unknown> | unknown]> = [
      ['bare', () => bare.run({ [bare.inputNames[0]]: ready })],
      ['crop', () => cropResize(f, region, size, out)],
      ['pose', () => tracker.next(f)],
      ['window', () => scorer.score()],
    ];
    for (const [name, fn] of steps) {
      const start = performance.now();
      await fn();
      if (i >= 10) t[name].push(performance.now() - start);
    }
  }
  console.log(`pose stage per frame: ${stage.describe()}`);
  console.log(
    `machine: ${cpus()[0].model} x${cpus().length}, node ${process.version}, ${threads} intra-op thread(s), ${runs} interleaved runs over ${frames.length} frames of ${clip}`,
  );
  console.log('step | p50 ms | p95 ms');
  for (const [name, label] of [
    ['bare', 'bare onnxruntime, MoveNet on a ready 192x192 tensor (baseline)'],
    ['crop', 'crop 384 -> 192 (JS)'],
    ['pose', 'PoseTracker.next (crop + MoveNet + mapping)'],
    ['window', 'pose-fall model, one window of 8 poses'],
  ] as const) {
    const s = stats(t[name]);
    console.log(`${label} | ${s.p50.toFixed(2)} | ${s.p95.toFixed(2)}`);
  }
  const perFrame = stats(t.pose).p50 + stats(t.window).p50 / 2;
  console.log(
    `per camera at 4 fps, a window every 2 frames: ${(perFrame * 4).toFixed(0)} ms of CPU per second (${((perFrame * 4) / 10).toFixed(1)} % of a core); tracker / bare = ${(stats(t.pose).p50 / stats(t.bare).p50).toFixed(2)}`,
  );
  await stage.release();
  await bare.release();
}

main().catch((err: Error) => {
  console.error(`bench:pose failed: ${err.stack}`);
  process.exit(1);
});
