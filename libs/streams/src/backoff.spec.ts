import { backoffDelay, sleep } from './backoff';

describe(backoffDelay.name, () => {
  const opts = { initialMs: 500, maxMs: 8000, jitter: 0.2 };

  it('should double per attempt up to the cap', () => {
    const mid = () => 0.5; // no jitter at the midpoint
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => backoffDelay(a, opts, mid))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('should spread delays by the jitter share', () => {
    expect(backoffDelay(2, opts, () => 0)).toBe(1600);
    expect(backoffDelay(2, opts, () => 1)).toBe(2400);
  });
});

describe(sleep.name, () => {
  it('should end early when aborted', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 20);
    await sleep(10_000, ac.signal);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
