/**
 * Labels every frame of a clip set with the pose model's 17 keypoints, for the training recipe (the pose-fall
 * stage learns from them) and for inspection. Frames are decoded letterboxed at the pose model's size and at the
 * video model's frame rate, frame by frame.
 *
 *   node dist/scripts/pose-label.js <clips folder | manifest.tsv> --out keypoints.json [--fps 4] [--threads 2]
 *                                   [--picture 192] [--tracking none | crop]
 *
 * `--picture` is the letterboxed picture's size and `--tracking crop` follows the person with a crop of the pose
 * model's size (PoseTracker, as the agent runs it). Writes { model, fps, size, picture, tracking, clips: { <file as in the manifest>: { frames, keypoints: [frames * 17 * 3] } } } with
 * keypoints as y, x, score (0..1 in the letterboxed square); a clip already in --out is kept, so a rerun resumes.
 */
import { readCommandLine, UsageError } from '@vigil/config';
import { PoseEstimator, PoseTracker, shippedPoseCard } from '@vigil/model';
import { readEvalSet } from '@vigil/model/evaluation';
import { FfmpegFrameSource, inputArguments, StreamEndedError } from '@vigil/streams';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

interface LabelFile {
  model: string;
  fps: number;
  size: number;
  picture: number;
  tracking: 'crop' | 'none';
  clips: Record<string, { frames: number; keypoints: number[] }>;
}

function fail(message: string): never {
  console.error(`pose-label: ${message}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const usage =
    'usage: node dist/scripts/pose-label.js <clips folder | manifest.tsv> --out keypoints.json [--fps 4] [--threads 2] [--picture 192] [--tracking none|crop]';
  let option: Record<string, string | undefined> = {};
  let target: string | undefined;
  try {
    const line = readCommandLine(
      process.argv.slice(2),
      { fps: { type: 'string' }, out: { type: 'string' }, picture: { type: 'string' }, threads: { type: 'string' }, tracking: { type: 'string' } },
      usage,
      { max: 1 },
    );
    option = line.values as Record<string, string | undefined>;
    target = line.positionals[0];
  } catch (err) {
    if (err instanceof UsageError) fail(err.message);
    throw err;
  }
  const out = option['out'];
  if (!target || target.startsWith('-') || !out)
    fail('usage: node dist/scripts/pose-label.js <clips folder | manifest.tsv> --out keypoints.json [--fps 4] [--threads 2]');
  const fps = Number(option['fps'] ?? 4);
  if (!(fps > 0 && fps <= 30)) fail(`--fps must be a number of frames per second from 0 to 30, got "${option['fps']}"`);
  const manifest = existsSync(target) && statSync(target).isDirectory() ? join(target, 'manifest.tsv') : resolve(target);
  let clips;
  try {
    clips = readEvalSet(manifest);
  } catch (err) {
    fail((err as Error).message);
  }
  const pose = await PoseEstimator.open(shippedPoseCard(), { intraOpThreads: Number(option['threads'] ?? 2) });
  const size = pose.size;
  const picture = Number(option['picture'] ?? size);
  if (!(Number.isInteger(picture) && picture >= size && picture <= 1024))
    fail(`--picture must be a whole number of pixels from ${size} to 1024, got "${option['picture']}"`);
  const tracking = (option['tracking'] ?? 'none') as 'crop' | 'none';
  if (!['crop', 'none'].includes(tracking)) fail(`--tracking must be crop or none, got "${tracking}"`);
  const previous = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as LabelFile) : undefined;
  const same =
    previous?.model === pose.card.name && previous.fps === fps && (previous.picture ?? size) === picture && (previous.tracking ?? 'none') === tracking;
  const labels: LabelFile = same && previous ? previous : { model: pose.card.name, fps, size, picture, tracking, clips: {} };
  const started = Date.now();
  let frames = 0;
  for (const [i, clip] of clips.entries()) {
    const key = relative(dirname(manifest), clip.file);
    if (!labels.clips[key]) {
      const source = new FfmpegFrameSource({
        input: inputArguments(clip.file, { realtime: false }),
        fps,
        size: { width: picture, height: picture, fit: 'letterbox' },
        delivery: 'every',
      });
      const tracker = new PoseTracker(pose, tracking);
      const keypoints: number[] = [];
      let n = 0;
      try {
        for await (const frame of source.frames()) {
          for (const k of await tracker.next(frame)) keypoints.push(+k.y.toFixed(4), +k.x.toFixed(4), +k.score.toFixed(3));
          n++;
        }
      } catch (err) {
        if (!(err instanceof StreamEndedError) || !n) throw new Error(`cannot decode ${clip.file}: ${(err as Error).message}`);
      }
      labels.clips[key] = { frames: n, keypoints };
      frames += n;
    }
    const rate = frames / Math.max(0.001, (Date.now() - started) / 1000);
    process.stderr.write(
      `\rpose-label [${String(i + 1).padStart(String(clips.length).length)}/${clips.length}] ${frames} frames, ${rate.toFixed(0)} frames/s   `,
    );
    if ((i + 1) % 20 === 0 || i + 1 === clips.length) {
      writeFileSync(`${out}.tmp`, JSON.stringify(labels));
      renameSync(`${out}.tmp`, out);
    }
  }
  process.stderr.write('\n');
  await pose.release();
  console.log(`wrote ${Object.keys(labels.clips).length} clips of keypoints to ${out}`);
}

main().catch((err: Error) => {
  console.error(`pose-label failed: ${err.message}`);
  process.exit(1);
});
