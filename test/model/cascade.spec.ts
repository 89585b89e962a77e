import {
  Cascade,
  checkCascade,
  createFrameScorer,
  loadModelCard,
  loadVideoModel,
  normaliseViews,
  resolveModelCard,
  type LabelScores,
  type VideoModel,
} from '@vigil/model';
import { decodeFile } from '../../scripts/eval-clip';
import { fixtureClip } from '../support/clips';

jest.setTimeout(180_000);

const FRAMES = 40;

/**
 * The fire and smoke cascade on real decoded frames of the project's fire clip, through the shipped models: the
 * window model scores every window on the whole picture, the tiles model confirms the windows at or over the gate.
 */
describe('fire and smoke cascade', () => {
  let first: VideoModel;
  let second: VideoModel;
  let frames: Array<{ data: Uint8Array; width: number; height: number }>;
  /** Each window's scores from either model alone, on the same frames. */
  let alone: { first: LabelScores[]; tiles: LabelScores[] };

  beforeAll(async () => {
    first = await loadVideoModel(resolveModelCard('builtin'), { mode: 'window', maxBatch: 5, thread: 'main' });
    second = await loadVideoModel(resolveModelCard('builtin-tiles'), { mode: 'window', maxBatch: 5, thread: 'main' });
    frames = [];
    const clip = await fixtureClip('fire');
    for await (const frame of decodeFile(clip, 4, { width: 256, height: 256 })) {
      // the decoder may reuse its buffer for the next frame
      frames.push({ data: new Uint8Array(frame.data), width: frame.width, height: frame.height });
      if (frames.length === FRAMES) break;
    }
    const firstScorer = first.createScorer();
    const tilesScorer = createFrameScorer(second, 'tiles');
    alone = { first: [], tiles: [] };
    for (const [i, frame] of frames.entries()) {
      const a = await firstScorer.push(normaliseViews(frame, first.card, 'tiles', 1)[0], i);
      const b = await tilesScorer.push(frame, i);
      if (a) alone.first.push(a.scores);
      if (b) alone.tiles.push(b.scores);
    }
  });

  afterAll(async () => {
    await first?.release();
    await second?.release();
  });

  async function run(gate: number): Promise<{ scores: LabelScores[]; cascade: Cascade }> {
    const cascade = new Cascade(first, second, gate);
    const scorer = cascade.createScorer();
    const scores: LabelScores[] = [];
    for (const [i, frame] of frames.entries()) {
      const scored = await scorer.push(frame, i);
      if (scored) scores.push(scored.scores);
    }
    return { scores, cascade };
  }

  const candidate = (s: LabelScores, gate: number) => Math.max(s.fire, s.smoke) >= gate;

  it('should confirm exactly the windows whose fire or smoke score reaches the gate, and take fire and smoke from the tiles there', async () => {
    expect(alone.first.length).toBe(17);
    const ranked = alone.first.map((s) => Math.max(s.fire, s.smoke)).sort((a, b) => a - b);
    // a gate between two windows' scores, so some windows pass and some do not
    const gate = (ranked[8] + ranked[9]) / 2;
    const { scores, cascade } = await run(gate);
    const expected = alone.first.filter((s) => candidate(s, gate)).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(alone.first.length);
    expect(cascade.stats).toEqual({ windows: alone.first.length, confirmed: expected });
    for (const [w, s] of scores.entries()) {
      const from = candidate(alone.first[w], gate) ? alone.tiles[w] : alone.first[w];
      expect(s.fire).toBeCloseTo(from.fire, 5);
      expect(s.smoke).toBeCloseTo(from.smoke, 5);
      // falls are not the cascade's: always the first model's
      expect(s.fall).toBeCloseTo(alone.first[w].fall, 5);
    }
  });

  it('should run the second model on no window over a gate nothing reaches, and on every window at gate 0', async () => {
    const closed = await run(Math.min(1, Math.max(...alone.first.map((s) => Math.max(s.fire, s.smoke))) + 1e-6));
    expect(closed.cascade.stats.confirmed).toBe(0);
    closed.scores.forEach((s, w) => expect(s.fire).toBeCloseTo(alone.first[w].fire, 5));
    const open = await run(0);
    expect(open.cascade.stats.confirmed).toBe(alone.first.length);
    open.scores.forEach((s, w) => expect(s.smoke).toBeCloseTo(alone.tiles[w].smoke, 5));
  });

  it('should refuse models that cannot share a decode, and a gate outside 0-1', () => {
    const card = loadModelCard(resolveModelCard('builtin')).card;
    const tiles = loadModelCard(resolveModelCard('builtin-tiles')).card;
    expect(() => checkCascade(card, tiles, 0.9)).not.toThrow();
    expect(() => checkCascade(card, { ...tiles, input: { ...tiles.input, width: 96, height: 96 } }, 0.9)).toThrow(
      /must take the same input .* 8 frames of 128x128 at 4 fps, vigil-vit-tiny-tiles 8 of 96x96/,
    );
    expect(() => checkCascade(card, { ...tiles, eventKinds: { fall: 'fall' } }, 0.9)).toThrow(/scores none of fire, smoke/);
    expect(() => checkCascade(card, tiles, 1.5)).toThrow(/gate is a score between 0 and 1, got 1.5/);
  });
});
