import { JpegRing } from './jpeg-ring';

const pic = (at: number, size = 10) => ({ at, data: Buffer.alloc(size) });

describe(JpegRing.name, () => {
  it('should drop pictures older than maxAge', () => {
    const ring = new JpegRing(1000, 1e9);
    [0, 400, 800, 1200, 1600].forEach((t) => ring.push(pic(t)));
    expect(ring.between(0, 5000).map((p) => p.at)).toEqual([800, 1200, 1600]);
  });

  it('should stay under maxBytes whatever arrives', () => {
    const ring = new JpegRing(60_000, 100);
    for (let t = 0; t < 50; t++) ring.push(pic(t, 30));
    expect(ring.size.bytes).toBeLessThanOrEqual(100);
    expect(ring.latest?.at).toBe(49);
  });

  it('should find the picture nearest a time', () => {
    const ring = new JpegRing(10_000, 1e9);
    [0, 500, 1000].forEach((t) => ring.push(pic(t)));
    expect(ring.nearest(700)?.at).toBe(500);
    expect(ring.nearest(900)?.at).toBe(1000);
  });
});
