import { thresholdForBudget } from './calibrate';
import type { EvalClip } from './eval-set';
import type { ClipResult, RaisedEvent } from './metrics';

const zero = { fall: 0, fire: 0, smoke: 0 };
const clip = (file: string, cls: EvalClip['cls'], onset?: number): EvalClip => ({ file, cls, source: file, dataset: 'd', onset });
/** One window per second with the given fall scores. */
const scored = (c: EvalClip, fall: number[]): ClipResult => ({
  clip: c,
  seconds: 1800,
  windows: fall.map((s, i) => ({ t: i + 1, scores: { ...zero, fall: s }, labels: { ...zero } })),
  events: [],
});
/** A stand-in rule: an event at the first window at or over the threshold. */
const firstOver = (r: ClipResult, th: number): RaisedEvent[] => {
  const w = r.windows.find((x) => x.scores.fall >= th);
  return w ? [{ kind: 'fall', t: w.t, peak: w.scores.fall }] : [];
};

describe('thresholdForBudget', () => {
  // two fall clips peaking at 0.9 and 0.6; half an hour of normal footage each peaking at 0.7 and 0.5
  const results = [
    scored(clip('a', 'fall', 2), [0.1, 0.2, 0.9]),
    scored(clip('b', 'fall', 2), [0.1, 0.6, 0.3]),
    scored(clip('n1', 'normal'), [0.7, 0.1]),
    scored(clip('n2', 'normal'), [0.5, 0.2]),
  ];

  it('should find the most clips within the budget, at the highest threshold among equals', () => {
    // one false alarm in an hour allowed: 0.6 finds both falls but n1 (0.7) fires too -> 1 per hour
    const one = thresholdForBudget(results, 'fall', firstOver, 1, 2);
    expect(one.met).toBe(true);
    expect(one.chosen).toMatchObject({ threshold: 0.6, detected: 2, falseAlarms: 1, negativeHours: 1, perCameraHour: 1 });
    // none allowed: over 0.7 only the 0.9 fall is found; the highest threshold that still finds it
    const none = thresholdForBudget(results, 'fall', firstOver, 0, 2);
    expect(none.chosen).toMatchObject({ threshold: 0.9, detected: 1, falseAlarms: 0 });
    expect(none.sweep.find((p) => p.threshold === 0.7)).toMatchObject({ detected: 1, falseAlarms: 1 });
  });

  it('should say when no threshold keeps to the budget', () => {
    const loud = [...results, scored(clip('n3', 'normal'), [1, 1])];
    const choice = thresholdForBudget(loud, 'fall', firstOver, 0, 2);
    expect(choice.met).toBe(false);
    expect(choice.chosen.threshold).toBe(0.99);
  });
});
