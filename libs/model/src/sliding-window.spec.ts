import { SlidingWindow } from './sliding-window';

describe(SlidingWindow.name, () => {
  const feed = (w: SlidingWindow<number>, n: number) => Array.from({ length: n }, (_, i) => w.push(i)).filter(Boolean) as number[][];

  it('should release the first window once it is full, then one every hop', () => {
    expect(feed(new SlidingWindow<number>(4, 2), 9)).toEqual([
      [0, 1, 2, 3],
      [2, 3, 4, 5],
      [4, 5, 6, 7],
    ]);
  });

  it('should honour a hop longer than the window', () => {
    expect(feed(new SlidingWindow<number>(2, 3), 9)).toEqual([
      [0, 1],
      [3, 4],
      [6, 7],
    ]);
  });

  it('should start over after reset so no window spans a gap', () => {
    const w = new SlidingWindow<number>(3, 1);
    [1, 2, 3].forEach((i) => w.push(i));
    w.reset();
    expect(w.push(10)).toBeUndefined();
    expect(w.push(11)).toBeUndefined();
    expect(w.push(12)).toEqual([10, 11, 12]);
  });

  it('should reject sizes that cannot form a window', () => {
    expect(() => new SlidingWindow(0, 1)).toThrow(/positive integer/);
    expect(() => new SlidingWindow(4, 0.5)).toThrow(/hop/);
  });
});
