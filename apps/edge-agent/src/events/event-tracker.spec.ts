import { EventTracker, type TrackerRule } from './event-tracker';

const rule: TrackerRule = { threshold: 0.6, clearThreshold: 0.3, minWindows: 2, clearWindows: 3, cooldownMs: 10_000, maxDurationMs: 60_000 };

/** Feeds scores one window every 500 ms and returns the transitions with their window index. */
function run(tracker: EventTracker, scores: number[], start = 0) {
  return scores.flatMap((s, i) => {
    const t = tracker.observe(s, start + i * 500);
    return t ? [{ i, ...t }] : [];
  });
}

describe(EventTracker.name, () => {
  describe('observe', () => {
    it('should open after minWindows consecutive windows over the threshold', () => {
      const out = run(new EventTracker(rule), [0.1, 0.7, 0.2, 0.65, 0.9, 0.95]);
      expect(out).toHaveLength(1);
      expect(out[0]).toMatchObject({ i: 4, type: 'start', firstAt: 1500, peak: 0.9, windows: 2 });
    });

    it('should ignore a single spike', () => {
      expect(run(new EventTracker(rule), [0.1, 0.99, 0.1, 0.99, 0.1])).toEqual([]);
    });

    it('should stay open through dips above the clear threshold and close after clearWindows low windows', () => {
      const out = run(new EventTracker(rule), [0.8, 0.8, 0.4, 0.5, 0.2, 0.2, 0.35, 0.1, 0.1, 0.1]);
      expect(out.map((t) => [t.i, t.type])).toEqual([
        [1, 'start'],
        [9, 'end'],
      ]);
      expect(out[1]).toMatchObject({ reason: 'cleared', peak: 0.8 });
    });

    it('should keep quiet during the cooldown, then open again', () => {
      const tracker = new EventTracker(rule);
      const first = run(tracker, [0.9, 0.9, 0.1, 0.1, 0.1]); // ends at t = 2000
      expect(first.map((t) => t.type)).toEqual(['start', 'end']);
      expect(run(tracker, [0.9, 0.9, 0.9], 5000)).toEqual([]);
      expect(run(tracker, [0.9, 0.9], 12_000).map((t) => t.type)).toEqual(['start']);
    });

    it('should close an event that outlives maxDuration', () => {
      const tracker = new EventTracker({ ...rule, maxDurationMs: 2000 });
      const out = run(tracker, Array(10).fill(0.9));
      expect(out.map((t) => [t.i, t.type])).toEqual([
        [1, 'start'],
        [5, 'end'],
      ]);
      expect(out[1]).toMatchObject({ reason: 'max-duration' });
    });
  });

  describe('smoothing and peak updates', () => {
    it('should average scores over smoothingWindows so a lone spike cannot open an event', () => {
      const smoothed = new EventTracker({ ...rule, minWindows: 1, smoothingWindows: 3 });
      expect(run(smoothed, [0.1, 0.99, 0.1, 0.1])).toEqual([]);
      const out = run(new EventTracker({ ...rule, minWindows: 1, smoothingWindows: 3 }), [0.7, 0.7, 0.7]);
      expect(out[0]).toMatchObject({ i: 0, type: 'start' });
    });

    it('should report an update each time the peak rises by peakStep', () => {
      const out = run(new EventTracker({ ...rule, peakStep: 0.1 }), [0.7, 0.7, 0.75, 0.82, 0.83, 0.95, 0.9]);
      expect(out.map((t) => [t.i, t.type, t.peak])).toEqual([
        [1, 'start', 0.7],
        [3, 'update', 0.82],
        [5, 'update', 0.95],
      ]);
    });
  });
});
