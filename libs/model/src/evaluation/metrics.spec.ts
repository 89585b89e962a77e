import type { EvalClip } from './eval-set';
import {
  averagePrecision,
  confusion,
  eventMetrics,
  falseAlarmsPerCameraHour,
  falseAlarmsPerHour,
  groupRows,
  sourceWeightedRecall,
  windowMetrics,
  type ClipResult,
} from './metrics';

const zero = { fall: 0, fire: 0, smoke: 0 };

function result(clip: EvalClip, seconds: number, events: ClipResult['events'], windows: ClipResult['windows'] = []): ClipResult {
  return { clip, seconds, events, windows };
}

describe('evaluation metrics', () => {
  const fallClip: EvalClip = { file: 'fall.mp4', cls: 'fall', source: 'lab', dataset: 'd', onset: 3, spanEnd: 4 };
  const fireClip: EvalClip = { file: 'fire.mp4', cls: 'fire', source: 'yard', dataset: 'd', onset: 0 };
  const normal: EvalClip = { file: 'normal.mp4', cls: 'normal', source: 'lab', dataset: 'd' };
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
    const m = eventMetrics(
      [
        result(fireClip, 10, [
          { kind: 'smoke', t: 3, peak: 0.8 },
          { kind: 'fire', t: 2, peak: 0.9 },
        ]),
      ],
      2,
    );
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

  it('should rank windows for average precision, ties together, ambiguous windows left out', () => {
    const w = (score: number, label: number) => ({ t: 0, scores: { ...zero, fall: score }, labels: { ...zero, fall: label } });
    // ranked: 0.9 (pos) 0.8 (neg) 0.7 (pos) 0.1 (neg); precision at the positives 1 and 2/3
    const ranked = [result(fallClip, 10, [], [w(0.9, 1), w(0.8, 0), w(0.7, 1), w(0.1, 0), w(0.95, Number.NaN)])];
    expect(averagePrecision(ranked, 'fall')).toBeCloseTo((1 + 2 / 3) / 2, 3);
    // a tie between a positive and a negative counts as one rank: precision 1/2 there
    expect(averagePrecision([result(fallClip, 10, [], [w(0.5, 1), w(0.5, 0)])], 'fall')).toBe(0.5);
    expect(averagePrecision(ranked, 'fire')).toBeNull();
  });

  it('should give a row per source and weigh sources evenly in recall', () => {
    const lab2: EvalClip = { ...fallClip, file: 'fall2.mp4' };
    const home: EvalClip = { ...fallClip, file: 'home.mp4', source: 'home', dataset: 'e' };
    const rs = [...results, result(lab2, 10, [{ kind: 'fall', t: 4, peak: 0.9 }]), result(home, 10, [{ kind: 'fire', t: 4, peak: 0.9 }])];
    const rows = groupRows(rs, 'source', 2);
    expect(rows.map((r) => r.group)).toEqual(['home', 'lab', 'yard']);
    expect(rows[1]).toMatchObject({ clips: 3, falseAlarms: 1, normalMinutes: 30, detected: { fall: { clips: 2, detected: 2 } } });
    expect(rows[0]).toMatchObject({ falseAlarms: 1, detected: { fall: { clips: 1, detected: 0 } } });
    // clip recall 2/3, but the lab's two clips count once: (1 + 0) / 2
    expect(eventMetrics(rs, 2).fall.recall).toBe(0.667);
    expect(sourceWeightedRecall(rows, 'fall')).toBe(0.5);
    expect(sourceWeightedRecall(rows, 'smoke')).toBeNull();
    expect(groupRows(rs, 'dataset', 2).map((r) => [r.group, r.clips])).toEqual([
      ['d', 4],
      ['e', 1],
    ]);
  });

  it('should give false alarms per camera-hour on all normal footage and on the long recordings alone', () => {
    const short: EvalClip = { ...normal, file: 'short.mp4' };
    const rs = [
      ...results,
      result(short, 18, [
        { kind: 'fire', t: 2, peak: 0.9 },
        { kind: 'smoke', t: 9, peak: 0.8 },
      ]),
    ];
    const rates = falseAlarmsPerCameraHour(rs);
    expect(rates.all).toEqual({ hours: 0.505, events: 3, perCameraHour: 5.9 });
    expect(rates.long).toEqual({ hours: 0.5, events: 1, perCameraHour: 2 });
    expect(falseAlarmsPerCameraHour([results[0]]).long.perCameraHour).toBeNull();
  });
});
