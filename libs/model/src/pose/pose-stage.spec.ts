import type { ModelCard } from '../model-card';
import { maxBlockChange, withPoseFall } from './pose-stage';

const card = {
  labels: ['fall', 'fire', 'smoke'],
  eventKinds: { fall: 'fall', fire: 'fire', smoke: 'smoke' },
  thresholds: { fall: 0.85, fire: 0.55 },
} as unknown as ModelCard;

describe('withPoseFall', () => {
  it("should give the fall labels the pose stage's threshold and score", () => {
    const { card: effective, apply } = withPoseFall(card, 0.8);
    expect(effective.thresholds).toEqual({ fall: 0.8, fire: 0.55 });
    expect(apply({ fall: 0.99, fire: 0.2, smoke: 0.3 }, 0.1)).toEqual({ fall: 0.1, fire: 0.2, smoke: 0.3 });
  });

  it('should add a fall label to a video model that has none', () => {
    const fireOnly = { labels: ['normal', 'flame'], eventKinds: { flame: 'fire' }, thresholds: {} } as unknown as ModelCard;
    const { card: effective, apply } = withPoseFall(fireOnly, 0.7);
    expect(effective.labels).toEqual(['normal', 'flame', 'fall']);
    expect(effective.eventKinds).toEqual({ flame: 'fire', fall: 'fall' });
    expect(effective.thresholds).toEqual({ fall: 0.7 });
    expect(apply({ normal: 0.9, flame: 0.05 }, 0.6)).toEqual({ normal: 0.9, flame: 0.05, fall: 0.6 });
  });
});

describe('maxBlockChange (the pose motion gate)', () => {
  const size = 384;
  const grey = () => ({ data: new Uint8Array(size * size * 3).fill(90), width: size, height: size });
  /** `picture` with a side x side patch at (x, y) made brighter by `delta`. */
  const withPatch = (x: number, y: number, side: number, delta: number) => {
    const p = grey();
    for (let r = y; r < y + side; r++) p.data.fill(90 + delta, (r * size + x) * 3, (r * size + x + side) * 3);
    return p;
  };

  it("should miss a small far-away person's move on the coarse grid and see it on a fine grid over their crop", () => {
    const before = grey();
    const after = withPatch(200, 200, 6, 120);
    expect(maxBlockChange(before, grey())).toBe(0);
    // one coarse sample of 64 in its block lands on the patch: about 2 grey levels, under any useful gate
    expect(maxBlockChange(before, after)).toBeLessThan(3);
    const crop = { x0: 180 / size, y0: 180 / size, w: 40 / size, h: 40 / size };
    expect(maxBlockChange(before, after, crop)).toBeGreaterThan(15);
    // a crop elsewhere does not see it
    expect(maxBlockChange(before, after, { ...crop, x0: 20 / size })).toBe(0);
  });

  it('should take a crop that reaches past the picture as the part inside it', () => {
    const after = withPatch(0, 0, 8, 60);
    expect(maxBlockChange(grey(), after, { x0: -0.1, y0: -0.1, w: 0.2, h: 0.2 })).toBeGreaterThan(5);
    expect(maxBlockChange(grey(), after, { x0: -0.5, y0: -0.5, w: 0.2, h: 0.2 })).toBe(0);
  });
});
