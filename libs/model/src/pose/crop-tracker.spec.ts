import { cropResize, fromCrop, FULL_PICTURE, nextCropRegion } from './crop-tracker';
import type { Keypoint } from './pose-estimator';

/** A standing person 0.2 tall centred at (y 0.6, x 0.3): shoulders 0.55, hips 0.65, ankles 0.7, head 0.5. */
function standing(score = 0.8): Keypoint[] {
  const ys = [0.5, 0.5, 0.5, 0.5, 0.5, 0.55, 0.55, 0.6, 0.6, 0.62, 0.62, 0.65, 0.65, 0.68, 0.68, 0.7, 0.7];
  return ys.map((y, i) => ({ y, x: 0.3 + (i % 2 ? 0.02 : -0.02), score }));
}

describe('crop tracking', () => {
  it('should centre a square on the hips that holds the body with a margin', () => {
    const r = nextCropRegion(standing());
    expect(r.h).toBeCloseTo(r.w, 9);
    expect(r.y0 + r.h / 2).toBeCloseTo(0.65, 9);
    expect(r.x0 + r.w / 2).toBeCloseTo(0.3, 9);
    // the farthest keypoint (head, 0.15 above the hips) times 1.2 is half the side; the torso (0.1) times 1.9 is more
    expect(r.h / 2).toBeCloseTo(Math.max(0.15 * 1.2, 0.1 * 1.9), 9);
  });

  it('should look at the whole picture when no torso is seen or the body fills it', () => {
    expect(nextCropRegion(standing(0.1))).toBe(FULL_PICTURE);
    const huge = standing().map((k) => ({ ...k, y: 0.5 + (k.y - 0.6) * 6 }));
    expect(nextCropRegion(huge)).toBe(FULL_PICTURE);
  });

  it('should resample a region bilinearly, black outside the picture, and map keypoints back', () => {
    // a 4x4 picture whose red channel is 10 * column
    const data = new Uint8Array(4 * 4 * 3);
    for (let i = 0; i < 16; i++) data[i * 3] = 10 * (i % 4);
    const out = cropResize({ data, width: 4, height: 4 }, { y0: 0, x0: 0.5, h: 0.5, w: 0.5 }, 2);
    expect([out[0], out[3]]).toEqual([20, 30]);
    const outside = cropResize({ data, width: 4, height: 4 }, { y0: -1, x0: -1, h: 0.5, w: 0.5 }, 2);
    expect(Array.from(outside)).toEqual(new Array(12).fill(0));
    expect(fromCrop([{ y: 0.5, x: 0.25, score: 0.9 }], { y0: 0.2, x0: 0.4, h: 0.4, w: 0.2 })).toEqual([{ y: 0.4, x: 0.45, score: 0.9 }]);
  });

  it('should give every pixel the plain bilinear formula, inside the picture and across its edges, in bytes or int32', () => {
    // the reference: each output value from its four neighbours, outside the picture black, rounded half up
    const reference = (data: Uint8Array, w: number, h: number, r: { y0: number; x0: number; h: number; w: number }, size: number) => {
      const at = (y: number, x: number, c: number) => (y >= 0 && y < h && x >= 0 && x < w ? data[(y * w + x) * 3 + c] : 0);
      const out: number[] = [];
      for (let oy = 0; oy < size; oy++)
        for (let ox = 0; ox < size; ox++) {
          const sy = (r.y0 + ((oy + 0.5) / size) * r.h) * h - 0.5;
          const sx = (r.x0 + ((ox + 0.5) / size) * r.w) * w - 0.5;
          const y0 = Math.floor(sy),
            x0 = Math.floor(sx);
          const fy = sy - y0,
            fx = Math.fround(sx - x0);
          for (let c = 0; c < 3; c++) {
            const top = at(y0, x0, c) + (at(y0, x0 + 1, c) - at(y0, x0, c)) * fx;
            const bottom = at(y0 + 1, x0, c) + (at(y0 + 1, x0 + 1, c) - at(y0 + 1, x0, c)) * fx;
            out.push(Math.round(top + (bottom - top) * fy));
          }
        }
      return out;
    };
    const [w, h, size] = [37, 29, 16];
    const data = new Uint8Array(w * h * 3).map((_, i) => (i * 7919) % 251);
    const regions = [
      { y0: 0, x0: 0, h: 1, w: 1 },
      { y0: 0.21, x0: 0.33, h: 0.4, w: 0.45 },
      { y0: -0.3, x0: 0.7, h: 0.8, w: 0.8 },
      { y0: 0.9, x0: -0.5, h: 0.6, w: 0.6 },
      { y0: -1, x0: -1, h: 0.5, w: 0.5 },
    ];
    for (const r of regions) {
      const want = reference(data, w, h, r, size);
      expect(Array.from(cropResize({ data, width: w, height: h }, r, size))).toEqual(want);
      expect(Array.from(cropResize({ data, width: w, height: h }, r, size, new Int32Array(size * size * 3)))).toEqual(want);
    }
  });
});
