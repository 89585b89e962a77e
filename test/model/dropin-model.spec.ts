import { createFrameScorer, decodeSize, loadVideoModel, normaliseFrame, type ModelCard } from '@vigil/model';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A third-party classifier with the VideoMAE export contract (pixel_values [B, 16, 3, 112, 112] -> logits [B, 4]),
 * its own mean/std, softmax output and label names, runs given only a card. The fixture graph averages each colour
 * channel and applies a fixed linear layer (test/fixtures/dropin-classifier/make_model.py), so the expected scores
 * follow by hand from the card.
 */
const FIXTURE = resolve(__dirname, '..', 'fixtures', 'dropin-classifier');
const W = [
  [0.0, 2.0, 1.0, -1.0],
  [0.5, -1.0, 0.0, 1.0],
  [0.0, 0.0, -2.0, 1.0],
];
const B = [0.2, 0.0, 0.1, -0.3];

function solid(rgb: [number, number, number], width: number, height: number) {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(rgb, i);
  return { data, width, height };
}

function expectedScores(rgb: [number, number, number], card: ModelCard): number[] {
  const channel = rgb.map((v, c) => (v * card.input.scale - card.input.mean[c]) / card.input.std[c]);
  const logits = B.map((b, k) => b + channel.reduce((s, x, c) => s + x * W[c][k], 0));
  const max = Math.max(...logits);
  const exp = logits.map((v) => Math.exp(v - max));
  return exp.map((v) => v / exp.reduce((a, b) => a + b, 0));
}

describe('drop-in video classifier described by a model card', () => {
  it('should apply the card mean/std, softmax and label order, with a window every hop frames', async () => {
    const model = await loadVideoModel(join(FIXTURE, 'card.json'));
    const { card } = model;
    expect(model.mode).toBe('window');
    expect(card.eventKinds).toEqual({ fall_down: 'fall', fire: 'fire', smoke: 'smoke' });
    const scorer = model.createScorer();
    const rgb: [number, number, number] = [230, 40, 10];
    const frame = normaliseFrame(solid(rgb, card.input.width, card.input.height), card);
    const results = [];
    for (let i = 0; i < card.input.frames + card.window.hop; i++) results.push(await scorer.push(frame, i));
    const emitted = results.map((r, i) => (r ? i : -1)).filter((i) => i >= 0);
    expect(emitted).toEqual([card.input.frames - 1, card.input.frames + card.window.hop - 1]);
    const scored = results[card.input.frames - 1]!.scores;
    const scores = card.labels.map((label) => scored[label]);
    const expected = expectedScores(rgb, card);
    // float32 means over 600k pixels inside the graph: agree to about 1e-4
    scores.forEach((s, k) => expect(s).toBeCloseTo(expected[k], 3));
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    await model.release();
  });

  it("should score tiles by joining the whole picture's log-odds with the highest quadrant's, label by label", async () => {
    const model = await loadVideoModel(join(FIXTURE, 'card.json'), { maxBatch: 5 });
    const { card } = model;
    const size = decodeSize(card, 'tiles');
    expect(size).toEqual({ width: 2 * card.input.width, height: 2 * card.input.height });
    // a red-hot top-right quadrant in a grey picture: the graph averages each channel, so every view's scores follow
    // from its mean colour; the quadrant alone is far more "fire" than the whole picture, and the join lies between
    const hot: [number, number, number] = [230, 40, 10];
    const grey: [number, number, number] = [90, 90, 90];
    const frame = solid(grey, size.width, size.height);
    for (let y = 0; y < card.input.height; y++) {
      for (let x = card.input.width; x < size.width; x++) frame.data.set(hot, (y * size.width + x) * 3);
    }
    const mean = grey.map((g, c) => (3 * g + hot[c]) / 4) as [number, number, number];
    const logit = (p: number) => Math.log(p / (1 - p));
    const whole = expectedScores(mean, card);
    const quadrant = card.labels.map((_, k) => Math.max(expectedScores(hot, card)[k], expectedScores(grey, card)[k]));
    const expected = card.labels.map((_, k) => 1 / (1 + Math.exp(-(logit(whole[k]) + logit(quadrant[k])) / 2)));
    const scorer = createFrameScorer(model, 'tiles');
    let scored;
    for (let i = 0; i < card.input.frames; i++) scored = await scorer.push(frame, i);
    expect(scored).toBeDefined();
    card.labels.forEach((label, k) => expect(scored!.scores[label]).toBeCloseTo(expected[k], 3));
    const fire = card.labels.indexOf('fire');
    expect(scored!.scores['fire']).toBeGreaterThan(whole[fire] + 0.02);
    expect(scored!.scores['fire']).toBeLessThan(quadrant[fire] - 0.02);
    // the five views of each frame went through the model as one batch
    expect(model.stats).toMatchObject({ windows: 5, runs: 1, maxBatchSeen: 5 });
    await model.release();
  });

  it('should fail at start-up with a clear message when the card does not match the graph', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-dropin-'));
    const card = JSON.parse(readFileSync(join(FIXTURE, 'card.json'), 'utf8'));
    card.file = join(FIXTURE, 'model.onnx');
    card.input.height = card.input.width = 224;
    writeFileSync(join(dir, 'card.json'), JSON.stringify(card));
    await expect(loadVideoModel(join(dir, 'card.json'))).rejects.toThrow(
      /input "pixel_values" has shape \[batch, 16, 3, 112, 112\], the card says \[batch, 16, 3, 224, 224\]/,
    );
    card.input.height = card.input.width = 112;
    card.labels = ['normal', 'fall_down', 'fire'];
    card.eventKinds = { fall_down: 'fall' };
    writeFileSync(join(dir, 'card.json'), JSON.stringify(card));
    await expect(loadVideoModel(join(dir, 'card.json'))).rejects.toThrow(/output "logits" has shape \[batch, 4\], the card lists 3 labels/);
  });
});
