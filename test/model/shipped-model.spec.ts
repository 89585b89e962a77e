import { loadModelCard, OnnxVideoModel, shippedModelCard, windowLength } from '@vigil/model';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parityRamp } from '../support/parity';

describe.each(['streaming', 'window', 'tiles'] as const)('shipped %s model, window graph (onnxruntime-node)', (which) => {
  let model: OnnxVideoModel;

  beforeAll(async () => {
    model = await OnnxVideoModel.load(shippedModelCard(which));
  });

  afterAll(() => model.release());

  it('should reproduce the PyTorch logits recorded at export within the card tolerance', async () => {
    const { card } = loadModelCard(shippedModelCard(which));
    const parity = card.parity!;
    const logits = await model.logits(parityRamp(windowLength(card) * parity.batch), parity.batch);
    const expected = parity.logits.flat();
    expect(logits).toHaveLength(expected.length);
    const maxDiff = Math.max(...expected.map((v, i) => Math.abs(v - logits[i])));
    expect(maxDiff).toBeLessThanOrEqual(parity.tolerance);
  });

  it('should score a batch of windows the same as one window at a time', async () => {
    const per = windowLength(model.card);
    const x = parityRamp(per * 2);
    const batch = await model.infer(x, 2);
    const single = await model.infer(x.slice(per), 1);
    expect(batch).toHaveLength(2);
    batch[1].forEach((p, i) => expect(p).toBeCloseTo(single[0][i], 5));
    batch.flat().forEach((p) => expect(p).toBeGreaterThanOrEqual(0));
  });

  it('should describe fall, fire and smoke and carry thresholds chosen on validation data', () => {
    expect(model.labels).toEqual(['fall', 'fire', 'smoke']);
    expect(model.card.eventKinds).toEqual({ fall: 'fall', fire: 'fire', smoke: 'smoke' });
    for (const label of model.labels) expect(model.card.thresholds[label]).toBeGreaterThan(0);
  });

  it('should refuse to start with a card that does not match the graph, naming the mismatch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-card-'));
    const card = JSON.parse(readFileSync(shippedModelCard(which), 'utf8'));
    const { onnxPath } = loadModelCard(shippedModelCard(which));
    const write = (name: string, patch: (c: typeof card) => void) => {
      const c = JSON.parse(JSON.stringify(card));
      c.file = onnxPath;
      patch(c);
      writeFileSync(join(dir, name), JSON.stringify(c));
      return join(dir, name);
    };
    await expect(OnnxVideoModel.load(write('frames.json', (c) => (c.input.frames = 16)))).rejects.toThrow(
      /input "pixel_values" has shape \[batch, 8, 3, \d+, \d+\], the card says \[batch, 16, 3/,
    );
    await expect(OnnxVideoModel.load(write('labels.json', (c) => ((c.labels = ['fall', 'fire']), (c.eventKinds = { fall: 'fall' }))))).rejects.toThrow(
      /the card lists 2 labels/,
    );
    await expect(OnnxVideoModel.load(write('input.json', (c) => (c.input.name = 'frames')))).rejects.toThrow(/no input named "frames"/);
    await expect(OnnxVideoModel.load(write('kinds.json', (c) => (c.eventKinds = { falling: 'fall' })))).rejects.toThrow(
      /maps labels that the model does not have: falling/,
    );
  });

  // the CPU-only onnxruntime-node package (ONNXRUNTIME_NODE_INSTALL=skip) has neither provider library
  it('should fall back to the CPU, saying why, when the CUDA and TensorRT providers are not on this machine', async () => {
    const fallback = await OnnxVideoModel.load(shippedModelCard(which), { executionProviders: ['tensorrt', 'cuda'] });
    expect(fallback.executionProviders).toEqual(['cpu']);
    expect(fallback.fallbacks).toHaveLength(2);
    expect(fallback.fallbacks[0]).toMatch(/^tensorrt: /);
    expect(fallback.fallbacks[1]).toMatch(/^cuda: /);
    const windows = new Float32Array(windowLength(fallback.card));
    expect(await fallback.infer(windows, 1)).toHaveLength(1);
    await fallback.release();
  });
});
