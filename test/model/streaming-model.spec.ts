import {
  loadModelCard,
  loadVideoModel,
  normaliseFrame,
  OnnxVideoModel,
  shippedModelCard,
  StreamingVideoModel,
  windowLength,
  type LabelScores,
  type RgbImage,
} from '@vigil/model';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parityRamp } from '../support/parity';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** A moving, changing picture so that the frame differences the encoder sees are not zero. */
function frame(seq: number, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      data[o] = (x * 3 + seq * 20) % 256;
      data[o + 1] = (y * 5 + seq * 7) % 256;
      data[o + 2] = Math.abs(x - y - seq * 4) % 256;
    }
  }
  return { data, width, height };
}

describe('shipped streaming student (frame encoder + temporal head, onnxruntime-node)', () => {
  const cardPath = shippedModelCard('streaming');
  const { card } = loadModelCard(cardPath);
  /** Named scores back in the card's label order, to compare with the window graph's output row. */
  const inLabelOrder = (scores: LabelScores) => card.labels.map((label) => scores[label]);
  const { frames: t, height: h, width: w } = card.input;
  const e = card.streaming!.frame.embedding;
  let model: StreamingVideoModel;

  beforeAll(async () => {
    model = await StreamingVideoModel.load(cardPath);
  });
  afterAll(() => model.release());

  it('should reproduce the PyTorch embeddings and logits recorded at export within 1e-4', async () => {
    const parity = card.streaming!.parity!;
    const embedding = await model.encode(parityRamp(2 * 3 * h * w), parityRamp(2 * 3 * h * w, true), 2);
    expect(maxAbsDiff(embedding, parity.embedding.flat())).toBeLessThanOrEqual(parity.tolerance);
    const logits = await model.temporalLogits(parityRamp(2 * t * e), 2);
    expect(maxAbsDiff(logits, parity.logits.flat())).toBeLessThanOrEqual(parity.tolerance);
    expect(parity.tolerance).toBeLessThanOrEqual(1e-4);
  });

  it('should give the same answer for an item whether it runs alone or in a dynamic batch', async () => {
    const per = 3 * h * w;
    const frames = parityRamp(3 * per);
    const previous = parityRamp(3 * per, true);
    const batch = await model.encode(frames, previous, 3);
    const alone = await model.encode(frames.slice(2 * per), previous.slice(2 * per), 1);
    expect(maxAbsDiff(batch.subarray(2 * e), alone)).toBeLessThanOrEqual(1e-4);
    const windows = parityRamp(3 * t * e);
    const logits = await model.temporalLogits(windows, 3);
    const one = await model.temporalLogits(windows.slice(t * e, 2 * t * e), 1);
    expect(maxAbsDiff(logits.subarray(3, 6), one)).toBeLessThanOrEqual(1e-4);
  });

  it('should score a window the same streaming frame by frame as through the window graph', async () => {
    const windowModel = await OnnxVideoModel.load(cardPath);
    const streaming = await loadVideoModel(cardPath, { mode: 'streaming' });
    expect(streaming.mode).toBe('streaming');
    const scorer = streaming.createScorer();
    const planes = Array.from({ length: t }, (_, i) => normaliseFrame(frame(i, w, h), card));
    let scored;
    for (let i = 0; i < t; i++) scored = await scorer.push(planes[i], 1000 + i * 250);
    expect(scored?.at).toBe(1000 + (t - 1) * 250);
    const window = new Float32Array(windowLength(card));
    planes.forEach((p, i) => window.set(p, i * p.length));
    const [expected] = await windowModel.infer(window, 1);
    expect(maxAbsDiff(inLabelOrder(scored!.scores), expected)).toBeLessThanOrEqual(1e-4);
    // the next window is due after `hop` more frames, and each frame went through the encoder exactly once
    for (let i = 0; i < card.window.hop - 1; i++) expect(await scorer.push(planes[i], 5000 + i)).toBeUndefined();
    expect(await scorer.push(planes[0], 6000)).toBeDefined();
    expect(streaming.stats).toMatchObject({ frames: t + card.window.hop, windows: 2 });
    await Promise.all([windowModel.release(), streaming.release()]);
  });

  it.each(['streaming', 'window'] as const)('should score every frame with hop 1 (%s), the same windows as the card hop', async (mode) => {
    const every = await loadVideoModel(cardPath, { mode, hop: 1 });
    const usual = await loadVideoModel(cardPath, { mode });
    expect(every.card.window.hop).toBe(1);
    expect(every.describe()).toContain('hop 1');
    expect(usual.card.window.hop).toBe(card.window.hop);
    const n = t + 4;
    const planes = Array.from({ length: n }, (_, i) => normaliseFrame(frame(i, w, h), card));
    const a = every.createScorer();
    const b = usual.createScorer();
    const byAt = new Map<number, number[]>();
    const everyAt: number[] = [];
    for (let i = 0; i < n; i++) {
      const [x, y] = await Promise.all([a.push(planes[i], i), b.push(planes[i], i)]);
      if (x) everyAt.push(x.at);
      if (x) byAt.set(x.at, inLabelOrder(x.scores));
      // each window the card's hop scores is also scored, identically, at hop 1
      if (y) expect(maxAbsDiff(inLabelOrder(y.scores), byAt.get(y.at)!)).toBeLessThanOrEqual(1e-5);
    }
    expect(everyAt).toEqual(Array.from({ length: n - t + 1 }, (_, i) => t - 1 + i));
    if (mode === 'streaming') expect(every.stats).toMatchObject({ frames: n, windows: n - t + 1 });
    await Promise.all([every.release(), usual.release()]);
    await expect(loadVideoModel(cardPath, { hop: 0 })).rejects.toThrow(/hop must be a whole number of frames, 1 or more; got 0/);
  });

  it.each(['streaming', 'window'] as const)(
    'should score each camera as if alone while runs of changing batch size share one input buffer (%s)',
    async (mode) => {
      const shared = await loadVideoModel(cardPath, { mode, hop: 1, maxBatch: 4 });
      // the warm-up's batch of four grows the input buffers first; later runs use a part of them
      await expect(shared.warmUp()).resolves.toBe(4);
      expect(shared.stats).toMatchObject({ windows: 0, frames: 0, runs: 0 });
      const cameras = [0, 1, 2].map(() => shared.createScorer());
      const planes = (camera: number, i: number) => normaliseFrame(frame(i * 3 + camera * 11, w, h), card);
      const got: number[][][] = [[], [], []];
      // three cameras at once (the first runs alone, the other two join the next run), then camera 0 alone
      for (let i = 0; i < t + 2; i++) {
        const out = await Promise.all(cameras.map((c, k) => c.push(planes(k, i), i)));
        out.forEach((o, k) => o && got[k].push(inLabelOrder(o.scores)));
      }
      for (let i = t + 2; i < t + 4; i++) got[0].push(inLabelOrder((await cameras[0].push(planes(0, i), i))!.scores));
      expect(shared.stats.maxBatchSeen).toBeGreaterThan(1);
      for (let k = 0; k < 3; k++) {
        const alone = await loadVideoModel(cardPath, { mode, hop: 1 });
        const scorer = alone.createScorer();
        const expected: number[][] = [];
        for (let i = 0; i < got[k].length + t - 1; i++) {
          const o = await scorer.push(planes(k, i), i);
          if (o) expected.push(inLabelOrder(o.scores));
        }
        expect(expected).toHaveLength(got[k].length);
        expected.forEach((scores, j) => expect(maxAbsDiff(got[k][j], scores)).toBeLessThanOrEqual(1e-4));
        await alone.release();
      }
      await shared.release();
    },
  );

  it('should run the fp16 variant within its tolerance of the fp32 graph', async () => {
    const fp32 = await OnnxVideoModel.load(cardPath);
    const fp16 = await OnnxVideoModel.load(cardPath, { precision: 'fp16' });
    const x = parityRamp(windowLength(card) * 2);
    const diff = maxAbsDiff(await fp16.logits(x, 2), await fp32.logits(x, 2));
    expect(diff).toBeLessThanOrEqual(card.variants!.fp16!.tolerance);
    expect(fp16.precision).toBe('fp16');
    await Promise.all([fp32.release(), fp16.release()]);
  });

  it('should refuse streaming graphs that do not match the card, naming the mismatch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-stream-card-'));
    const raw = JSON.parse(readFileSync(cardPath, 'utf8'));
    const { onnxPath, streamingPaths } = loadModelCard(cardPath);
    const write = (name: string, patch: (c: typeof raw) => void) => {
      const c = JSON.parse(JSON.stringify(raw));
      c.file = onnxPath;
      c.streaming.frame.file = streamingPaths!.frame;
      c.streaming.temporal.file = streamingPaths!.temporal;
      patch(c);
      writeFileSync(join(dir, name), JSON.stringify(c));
      return join(dir, name);
    };
    await expect(StreamingVideoModel.load(write('width.json', (c) => (c.streaming.frame.embedding = e + 1)))).rejects.toThrow(
      `output "embedding" is ${e} wide, the card says ${e + 1}`,
    );
    await expect(StreamingVideoModel.load(write('frames.json', (c) => (c.input.frames = t * 2)))).rejects.toThrow(
      /temporal head .* input "embeddings" has shape \[batch, \d+, \d+\], the card says \[batch, 16/,
    );
    await expect(StreamingVideoModel.load(write('input.json', (c) => (c.streaming.frame.previous = 'prev')))).rejects.toThrow(/no input named "prev"/);
    await expect(
      loadVideoModel(
        write('none.json', (c) => delete c.streaming),
        { mode: 'streaming' },
      ),
    ).rejects.toThrow(/has no streaming graphs .* set model.mode to window/);
    // without streaming graphs, auto mode runs the window graph
    const auto = await loadVideoModel(join(dir, 'none.json'));
    expect(auto.mode).toBe('window');
    await auto.release();
  });
});
