import { BatchBuffer, Batcher, pack } from './batched-inference';

describe('Batcher', () => {
  it('should run a first item at once and batch what arrives meanwhile, up to maxBatch', async () => {
    const sizes: number[] = [];
    const runs: Array<[number, number]> = [];
    const batcher = new Batcher<number, number>(
      async (items) => {
        sizes.push(items.length);
        await new Promise((r) => setTimeout(r, 5));
        return items.map((x) => x * 10);
      },
      3,
      (ms, n) => runs.push([ms, n]),
    );
    const first = batcher.submit(1);
    await new Promise((r) => setImmediate(r));
    const out = await Promise.all([first, ...[2, 3, 4, 5, 6].map((x) => batcher.submit(x))]);
    expect(out).toEqual([10, 20, 30, 40, 50, 60]);
    expect(sizes).toEqual([1, 3, 2]);
    expect(batcher.stats).toMatchObject({ runs: 3, items: 6, maxBatchSeen: 3 });
    expect(runs.map(([, n]) => n)).toEqual([1, 3, 2]);
    expect(runs.every(([ms]) => ms >= 4)).toBe(true);
  });

  it('should run items submitted in the same tick as one batch', async () => {
    const sizes: number[] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      sizes.push(items.length);
      return items;
    }, 8);
    await Promise.all([1, 2, 3, 4, 5].map((x) => batcher.submit(x)));
    expect(sizes).toEqual([5]);
  });

  it('should reject every item of a failed run and keep serving later ones', async () => {
    let fail = true;
    const batcher = new Batcher<number, number>(async (items) => {
      if (fail) throw new Error('session lost');
      return items;
    });
    await expect(batcher.submit(1)).rejects.toThrow('session lost');
    fail = false;
    await expect(batcher.submit(2)).resolves.toBe(2);
  });

  it('should pack equal-length items back to back', () => {
    expect(Array.from(pack([Float32Array.of(1, 2, 9), Float32Array.of(3, 4)], 2))).toEqual([1, 2, 3, 4]);
  });

  it('should warm up with one run of the largest batch, outside the stats, and not while real work is queued', async () => {
    const sizes: number[] = [];
    const batcher = new Batcher<number, number>(async (items) => (sizes.push(items.length), items), 4);
    await expect(batcher.warmUp(0)).resolves.toBe(4);
    expect(sizes).toEqual([4]);
    expect(batcher.stats.runs).toBe(0);
    const busy = batcher.submit(1);
    await expect(batcher.warmUp(0)).resolves.toBe(0);
    await busy;
    expect(sizes).toEqual([4, 1]);
  });

  it('should hand out one input buffer run after run, growing it only for a larger batch', () => {
    const buffer = new BatchBuffer(2);
    const three = buffer.take(3);
    expect(three).toHaveLength(6);
    const one = buffer.take(1);
    expect(one).toHaveLength(2);
    expect(one.buffer).toBe(three.buffer);
    expect(buffer.take(4).buffer).not.toBe(three.buffer);
    expect(Array.from(pack([Float32Array.of(5, 6)], 2, one))).toEqual([5, 6]);
    expect(three[0]).toBe(5);
  });
});

describe('Batcher with maxWaitMs', () => {
  it('should hold a first item until others join, and run at once when the batch is full', async () => {
    const sizes: number[] = [];
    const batcher = new Batcher<number, number>(async (items) => (sizes.push(items.length), items), 3, undefined, 30);
    const first = batcher.submit(1);
    await new Promise((r) => setTimeout(r, 10));
    const second = batcher.submit(2);
    await expect(Promise.all([first, second])).resolves.toEqual([1, 2]);
    expect(sizes).toEqual([2]);
    expect(sizes).toEqual([2]);
  });

  it('should not wait when the batch is already full', async () => {
    // a wait of a minute would time the test out if a full batch waited for it
    const batcher = new Batcher<number, number>(async (items) => items, 3, undefined, 60_000);
    await expect(Promise.all([4, 5, 6].map((x) => batcher.submit(x)))).resolves.toEqual([4, 5, 6]);
    expect(batcher.stats).toMatchObject({ runs: 1, maxBatchSeen: 3 });
  });
});
