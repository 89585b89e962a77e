import type { EvalClip } from './eval-set';
import { confusion, eventMetrics, falseAlarmsPerHour, windowMetrics, type ClipResult } from './metrics';

const zero = { fall: 0, fire: 0, smoke: 0 };

function result(clip: EvalClip, seconds: number, events: ClipResult['events'], windows: ClipResult['windows'] = []): ClipResult {
  return { clip, seconds, events, windows };
}

describe('evaluation metrics', () => {
  const fallClip: EvalClip = { file: 'fall.mp4', cls: 'fall', onset: 3, spanEnd: 4 };
  const fireClip: EvalClip = { file: 'fire.mp4', cls: 'fire', onset: 0 };
  const normal: EvalClip = { file: 'normal.mp4', cls: 'normal' };
  const results = [
    result(fallClip, 10, [{ kind: 'fall', t: 5.5, peak: 0.9 }]),
    result(fireClip, 10, []),
    result(normal, 1800, [{ kind: 'fall', t: 100, peak: 0.8 }]),
  ];

  it('should count detections with their latency from the onset, and events elsewhere as false alarms', () => {
    const m = eventMetrics(results, 2);
    expect(m.fall).toMatchObject({ clips: 1, detected: 1, falseAlarms: 1, recall: 1, precision: 0.5, latency: { p50: 2.5, max: 2.5 } });
    expect(m.fire).toMatchObject({ clips: 1, detected: 0, recall: 0, latency: { p50: null } });
  });

  it('should count smoke on a fire clip neither as a detection nor as a false alarm', () => {
    const m = eventMetrics([result(fireClip, 10, [{ kind: 'smoke', t: 3, peak: 0.8 }, { kind: 'fire', t: 2, peak: 0.9 }])], 2);
    expect(m.smoke).toMatchObject({ clips: 0, falseAlarms: 0 });
    expect(m.fire).toMatchObject({ detected: 1, falseAlarms: 0 });
    expect(confusion([result(fireClip, 10, [{ kind: 'smoke', t: 1, peak: 0.8 }])]).matrix[1]).toEqual([0, 0, 0, 1]);
  });

  it('should not count an event long before the onset as the detection', () => {
    const early = eventMetrics([result(fallClip, 10, [{ kind: 'fall', t: 0.5, peak: 0.9 }])], 2);
    expect(early.fall).toMatchObject({ detected: 0, falseAlarms: 1 });
  });

  it('should give false alarms per hour of normal footage and a clip confusion matrix', () => {
    expect(falseAlarmsPerHour(results)).toEqual({ hours: 0.5, events: 1, perHour: 2 });
    const c = confusion(results);
    expect(c.labels).toEqual(['fall', 'fire', 'smoke', 'normal']);
    expect(c.matrix[0]).toEqual([1, 0, 0, 0]);
    expect(c.matrix[1]).toEqual([0, 0, 0, 1]);
    expect(c.matrix[3]).toEqual([1, 0, 0, 0]);
  });

  it('should leave ambiguous windows out of window precision and recall', () => {
    const windows = [
      { t: 4, scores: { ...zero, fall: 0.9 }, labels: { ...zero, fall: 1 } },
      { t: 5, scores: { ...zero, fall: 0.2 }, labels: { ...zero, fall: 1 } },
      { t: 6, scores: { ...zero, fall: 0.95 }, labels: { ...zero, fall: Number.NaN } },
      { t: 7, scores: { ...zero, fall: 0.9 }, labels: { ...zero } },
    ];
    const m = windowMetrics([result(fallClip, 10, [], windows)], { fall: 0.5, fire: 0.5, smoke: 0.5 });
    expect(m.fall).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, positives: 2, windows: 3 });
  });
});
