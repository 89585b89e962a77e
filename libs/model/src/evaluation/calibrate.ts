import { isCompanion, type EventClass } from './eval-set';
import { detection, falseAlarmsOn, type ClipResult, type RaisedEvent } from './metrics';

export interface OperatingPoint {
  threshold: number;
  clips: number;
  detected: number;
  /** Events of this kind that are not a clip's detection, on every clip where the kind is not a companion. */
  falseAlarms: number;
  /** Camera-hours of footage where this kind should never be raised (clips of the other classes, companions aside). */
  negativeHours: number;
  perCameraHour: number;
}

export interface BudgetChoice {
  kind: EventClass;
  budgetPerCameraHour: number;
  /** false when no threshold on the grid keeps to the budget; the highest threshold is then chosen. */
  met: boolean;
  chosen: OperatingPoint;
  sweep: OperatingPoint[];
}

/** Thresholds tried: 0.05 .. 0.99 by 0.01. */
export const THRESHOLD_GRID = Array.from({ length: 95 }, (_, i) => Math.round((0.05 + i * 0.01) * 100) / 100);

/**
 * The threshold for one kind that finds the most clips while raising at most `budget` false alarms per camera-hour
 * of footage where the kind is absent; among equals the highest, which leaves the most margin on new cameras.
 * `eventsAt` replays the event rule over a clip's scores at a threshold (scoring is not repeated).
 * This is selection on the set it is given: report its figures on other footage.
 */
export function thresholdForBudget(
  results: ClipResult[],
  kind: EventClass,
  eventsAt: (result: ClipResult, threshold: number) => RaisedEvent[],
  budget: number,
  windowSeconds: number,
  grid: number[] = THRESHOLD_GRID,
): BudgetChoice {
  const negativeHours = results.filter((r) => r.clip.cls !== kind && !isCompanion(r.clip, kind)).reduce((s, r) => s + r.seconds, 0) / 3600;
  const sweep = grid.map((threshold): OperatingPoint => {
    let detected = 0,
      falseAlarms = 0;
    for (const r of results) {
      if (isCompanion(r.clip, kind)) continue;
      const replayed = { ...r, events: eventsAt(r, threshold) };
      if (detection(replayed, kind, windowSeconds)) detected++;
      falseAlarms += falseAlarmsOn(replayed, kind, windowSeconds);
    }
    const clips = results.filter((r) => r.clip.cls === kind).length;
    return { threshold, clips, detected, falseAlarms, negativeHours, perCameraHour: negativeHours ? falseAlarms / negativeHours : falseAlarms ? Infinity : 0 };
  });
  const within = sweep.filter((p) => p.perCameraHour <= budget);
  const best = within.reduce<OperatingPoint | undefined>(
    (a, p) => (!a || p.detected > a.detected || (p.detected === a.detected && p.threshold > a.threshold) ? p : a),
    undefined,
  );
  return { kind, budgetPerCameraHour: budget, met: best !== undefined, chosen: best ?? sweep[sweep.length - 1], sweep };
}
