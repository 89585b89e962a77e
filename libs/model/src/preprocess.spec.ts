import type { ModelCard } from './model-card';
import { assembleWindow, normaliseFrame, toPixelValues, writeWindow } from './preprocess';

function card(overrides: Partial<ModelCard['input']> = {}): ModelCard {
  return {
    name: 't',
    file: 't.onnx',
    input: {
      name: 'pixel_values',
      layout: 'BTCHW',
      frames: 2,
      height: 2,
      width: 2,
      fps: 4,
      channelOrder: 'RGB',
      scale: 1 / 255,
      mean: [0.5, 0.25, 0],
      std: [0.5, 0.25, 1],
      ...overrides,
    },
    output: { name: 'logits', activation: 'sigmoid' },
    labels: ['fall'],
    eventKinds: { fall: 'fall' },
    window: { hop: 1 },
    views: 'whole',
    thresholds: {},
  };
}

function frame(pixels: number[][]) {
  return { data: Uint8Array.from(pixels.flat()), width: 2, height: 2 };
}

describe('preprocess', () => {
  describe('toPixelValues', () => {
    it('should lay frames out as [T, 3, H, W] and normalise each channel with its mean and std', () => {
      const f0 = frame([
        [255, 0, 0],
        [0, 255, 0],
        [0, 0, 255],
        [255, 255, 255],
      ]);
      const f1 = frame([
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
        [51, 102, 153],
      ]);
      const out = toPixelValues([f0, f1], card());
      expect(out).toHaveLength(2 * 3 * 4);
      // frame 0, R plane: (v/255 - 0.5) / 0.5
      expect(Array.from(out.slice(0, 4))).toEqual([1, -1, -1, 1]);
      // frame 0, G plane: (v/255 - 0.25) / 0.25
      expect(Array.from(out.slice(4, 8))).toEqual([-1, 3, -1, 3]);
      // frame 0, B plane: v/255
      expect(Array.from(out.slice(8, 12))).toEqual([0, 0, 1, 1]);
      // frame 1, last pixel of each plane
      expect(out[12 + 3]).toBeCloseTo((51 / 255 - 0.5) / 0.5, 6);
      expect(out[16 + 3]).toBeCloseTo((102 / 255 - 0.25) / 0.25, 6);
      expect(out[20 + 3]).toBeCloseTo(153 / 255, 6);
    });

    it('should swap channels for a BGR model', () => {
      const out = toPixelValues(
        [
          frame([
            [255, 0, 0],
            [0, 0, 0],
            [0, 0, 0],
            [0, 0, 0],
          ]),
          frame([
            [0, 0, 0],
            [0, 0, 0],
            [0, 0, 0],
            [0, 0, 0],
          ]),
        ],
        card({ channelOrder: 'BGR', mean: [0, 0, 0], std: [1, 1, 1] }),
      );
      expect(out[0]).toBe(0); // B plane first: the red pixel has no blue
      expect(out[8]).toBe(1); // R plane last
    });

    it('should refuse frames of the wrong size or count', () => {
      const small = { data: new Uint8Array(3), width: 1, height: 1 };
      expect(() => toPixelValues([small, small], card())).toThrow(/expects 2x2/);
      expect(() =>
        toPixelValues(
          [
            frame([
              [0, 0, 0],
              [0, 0, 0],
              [0, 0, 0],
              [0, 0, 0],
            ]),
          ],
          card(),
        ),
      ).toThrow(/needs 2 frames/);
    });
  });

  describe('writeWindow', () => {
    it('should write at an offset so windows can share a batch buffer', () => {
      const f = frame([
        [255, 255, 255],
        [255, 255, 255],
        [255, 255, 255],
        [255, 255, 255],
      ]);
      const out = new Float32Array(48).fill(-9);
      writeWindow([f, f], card(), out, 24);
      expect(out[23]).toBe(-9);
      expect(out[24]).toBe(1);
    });
  });

  describe('normaliseFrame and assembleWindow', () => {
    it('should build exactly the window toPixelValues builds, from frames normalised once', () => {
      const f0 = frame([
        [255, 0, 0],
        [0, 255, 0],
        [0, 0, 255],
        [255, 255, 255],
      ]);
      const f1 = frame([
        [10, 20, 30],
        [40, 50, 60],
        [70, 80, 90],
        [51, 102, 153],
      ]);
      for (const c of [card(), card({ channelOrder: 'BGR' })]) {
        const planes = [normaliseFrame(f0, c), normaliseFrame(f1, c)];
        expect(Array.from(assembleWindow(planes, c))).toEqual(Array.from(toPixelValues([f0, f1], c)));
      }
    });

    it('should refuse a wrong frame count', () => {
      expect(() =>
        assembleWindow(
          [
            normaliseFrame(
              frame([
                [0, 0, 0],
                [0, 0, 0],
                [0, 0, 0],
                [0, 0, 0],
              ]),
              card(),
            ),
          ],
          card(),
        ),
      ).toThrow(/needs 2 frames, got 1/);
    });
  });
});
