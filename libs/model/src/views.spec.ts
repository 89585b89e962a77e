import type { ModelCard } from './model-card';
import { normaliseFrame } from './preprocess';
import { decodeSize, joinViews, normaliseViews } from './views';

function card(width = 2, height = 2): ModelCard {
  return {
    name: 't',
    file: 't.onnx',
    input: { name: 'pixel_values', layout: 'BTCHW', frames: 1, height, width, fps: 4, channelOrder: 'RGB', scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1] },
    output: { name: 'logits', activation: 'sigmoid' },
    labels: ['fire'],
    eventKinds: { fire: 'fire' },
    window: { hop: 1 },
    views: 'whole',
    thresholds: {},
  };
}

/** A width x height picture whose pixel (x, y) is [r(x, y), g(x, y), b(x, y)]. */
function picture(width: number, height: number, rgb: (x: number, y: number) => [number, number, number]) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(rgb(x, y), (y * width + x) * 3);
  return { data, width, height };
}

describe('views', () => {
  it('should decode at the model size for the whole picture and at twice it for tiles', () => {
    expect(decodeSize(card(128, 96), 'whole')).toEqual({ width: 128, height: 96 });
    expect(decodeSize(card(128, 96), 'tiles')).toEqual({ width: 256, height: 192 });
  });

  it('should give the whole view exactly as the plain frame path normalises it', () => {
    const frame = picture(2, 2, (x, y) => [10 * x + y, 200 - x, 3 * y]);
    const [whole] = normaliseViews(frame, card(), 'whole');
    expect(Array.from(whole)).toEqual(Array.from(normaliseFrame(frame, card())));
  });

  it('should cut tiles into the 2x2-averaged whole and the four quadrants at full detail, channel by channel', () => {
    // 4x4 picture for a 2x2 model: red says the column, green the row, blue is constant per quadrant
    const frame = picture(4, 4, (x, y) => [x * 40, y * 40, (y < 2 ? 0 : 2) + (x < 2 ? 0 : 1)]);
    const views = normaliseViews(frame, card(), 'tiles');
    expect(views).toHaveLength(5);
    const at = (plane: Float32Array, c: number, x: number, y: number) => Math.round(plane[c * 4 + y * 2 + x] * 255);
    // whole: pixel (x, y) averages columns 2x, 2x+1 and rows 2y, 2y+1
    expect([0, 1].map((x) => at(views[0], 0, x, 0))).toEqual([20, 100]);
    expect([0, 1].map((y) => at(views[0], 1, 0, y))).toEqual([20, 100]);
    // quadrants in reading order: top left, top right, bottom left, bottom right
    views.slice(1).forEach((tile, q) => {
      expect([0, 1, 0, 1].map((x, i) => at(tile, 2, x, i >> 1))).toEqual([q, q, q, q]);
      expect(at(tile, 0, 1, 0)).toBe(((q % 2) * 2 + 1) * 40);
      expect(at(tile, 1, 0, 1)).toBe(((q >> 1) * 2 + 1) * 40);
    });
  });

  it("should join the whole picture's log-odds with the highest quadrant's, so the whole picture can temper a tile", () => {
    const c = { ...card(), labels: ['fire', 'smoke'] };
    const joined = joinViews(c, [
      { fire: 0.5, smoke: 0.01 },
      { fire: 0.1, smoke: 0.99 },
      { fire: 0.9, smoke: 0.2 },
      { fire: 0.2, smoke: 0.3 },
      { fire: 0.3, smoke: 0.4 },
    ]);
    // fire: (logit 0.5 + logit 0.9) / 2 = ln 9 / 2, i.e. odds 3:1; smoke: logit 0.01 and logit 0.99 cancel
    expect(joined.fire).toBeCloseTo(0.75, 6);
    expect(joined.smoke).toBeCloseTo(0.5, 6);
    expect(joinViews(c, [{ fire: 0.3, smoke: 0.6 }])).toEqual({ fire: 0.3, smoke: 0.6 });
  });

  it('should refuse a frame of the wrong size, naming the size the views need', () => {
    const frame = picture(2, 2, () => [0, 0, 0]);
    expect(() => normaliseViews(frame, card(), 'tiles')).toThrow('frame is 2x2, tiles views of this model need 4x4 RGB');
  });
});
