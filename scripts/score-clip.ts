/**
 * Prints the model's window scores over a video file, decoded exactly as the agent decodes a camera.
 *
 *   node dist/scripts/score-clip.js <clip.mp4 | rtsp://...> [--card path/to/model.card.json] [--seconds 30]
 */
import { readCommandLine, UsageError } from '@vigil/config';
import { OnnxVideoModel, shippedModelCard, SlidingWindow, toPixelValues } from '@vigil/model';
import { FfmpegFrameSource, inputArguments, type Frame } from '@vigil/streams';

async function main(): Promise<void> {
  let option: { card?: string; seconds?: string };
  let file: string;
  try {
    const line = readCommandLine(
      process.argv.slice(2),
      { card: { type: 'string' }, seconds: { type: 'string' } },
      'usage: score-clip <clip.mp4 | rtsp://...> [--card model.card.json] [--seconds 30]',
      { min: 1, max: 1 },
    );
    option = line.values;
    file = line.positionals[0];
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const model = await OnnxVideoModel.load(option['card'] ?? shippedModelCard());
  const { card } = model;
  const seconds = Number(option['seconds'] ?? Infinity);
  const source = new FfmpegFrameSource({
    input: inputArguments(file, { realtime: false }),
    fps: card.input.fps,
    size: { width: card.input.width, height: card.input.height },
    delivery: 'every',
  });
  const window = new SlidingWindow<Frame>(card.input.frames, card.window.hop);
  const thresholds = card.labels.map((l) => card.thresholds[l] ?? 0.5);
  console.log(`t_end_s  ${card.labels.map((l, i) => `${l}(>${thresholds[i]})`.padStart(12)).join(' ')}`);
  let n = 0;
  const frames = source.frames()[Symbol.asyncIterator]();
  // read every frame: a file is not a camera, nothing may be dropped while the model runs
  const all: Frame[] = [];
  for (;;) {
    const next = await frames.next().catch(() => ({ done: true as const, value: undefined }));
    if (next.done) break;
    all.push(next.value);
    if (all.length >= seconds * card.input.fps) {
      await frames.return?.(undefined);
      break;
    }
  }
  for (const frame of all) {
    n++;
    const w = window.push(frame);
    if (!w) continue;
    const [scores] = await model.infer(toPixelValues(w, card), 1);
    const cells = scores.map((s, i) => `${s.toFixed(3)}${s >= thresholds[i] ? '*' : ' '}`.padStart(12));
    console.log(`${(n / card.input.fps).toFixed(2).padStart(7)}  ${cells.join(' ')}`);
  }
  await model.release();
}

void main();
