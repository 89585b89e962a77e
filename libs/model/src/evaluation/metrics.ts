import { EVENT_CLASSES, isCompanion, type ClipClass, type EvalClip, type EventClass } from './eval-set';

export interface ScoredWindowAt {
  /** Seconds from the clip start to the window's newest frame. */
  t: number;
  scores: Record<EventClass, number>;
  labels: Record<EventClass, number>;
}

export interface RaisedEvent {
  kind: EventClass;
  /** Seconds from the clip start. */
  t: number;
  peak: number;
}

export interface ClipResult {
  clip: EvalClip;
  seconds: number;
  windows: ScoredWindowAt[];
  events: RaisedEvent[];
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  positives: number;
  windows: number;
}

const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

export function prf(tp: number, fp: number, fn: number, positives: number, windows: number): Prf {
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision: round(precision), recall: round(recall), f1: round(f1), positives, windows };
}

/** Window-level precision/recall/F1 at one threshold per class, over windows whose label is known. */
export function windowMetrics(results: ClipResult[], thresholds: Record<EventClass, number>): Record<EventClass, Prf> {
  const out = {} as Record<EventClass, Prf>;
  for (const cls of EVENT_CLASSES) {
    let tp = 0,
      fp = 0,
      fn = 0,
      n = 0,
      pos = 0;
    for (const w of results.flatMap((r) => r.windows)) {
      const y = w.labels[cls];
      if (Number.isNaN(y)) continue;
      n++;
      const hit = w.scores[cls] >= thresholds[cls];
      if (y === 1) pos++;
      if (hit && y === 1) tp++;
      else if (hit) fp++;
      else if (y === 1) fn++;
    }
    out[cls] = prf(tp, fp, fn, pos, n);
  }
  return out;
}

/** Precision-recall points over thresholds 0.02 .. 0.98 for one class. */
export function prCurve(results: ClipResult[], cls: EventClass): { threshold: number; precision: number; recall: number }[] {
  const windows = results.flatMap((r) => r.windows).filter((w) => !Number.isNaN(w.labels[cls]));
  const points = [];
  for (let th = 0.02; th < 0.99; th += 0.02) {
    let tp = 0,
      fp = 0,
      fn = 0;
    for (const w of windows) {
      const hit = w.scores[cls] >= th;
      if (hit && w.labels[cls] === 1) tp++;
      else if (hit) fp++;
      else if (w.labels[cls] === 1) fn++;
    }
    if (tp + fp === 0) continue;
    points.push({ threshold: round(th, 2), precision: tp / (tp + fp), recall: tp + fn ? tp / (tp + fn) : 0 });
  }
  return points;
}

export interface EventMetrics {
  clips: number;
  detected: number;
  recall: number;
  /** Events of this kind on clips of another class (fire and smoke excepted on each other's clips), or before the onset on its own clips. */
  falseAlarms: number;
  precision: number;
  f1: number;
  /** Seconds from the labelled onset to the event, over the detected clips. */
  latency: { p50: number | null; max: number | null };
}

/** An event counts for its clip when it starts no earlier than one window before the onset. */
export function detection(r: ClipResult, kind: EventClass, windowSeconds: number): RaisedEvent | undefined {
  if (r.clip.cls !== kind || r.clip.onset === undefined) return undefined;
  return r.events.find((e) => e.kind === kind && e.t >= r.clip.onset! - windowSeconds);
}

/** Events of `kind` on a clip that are not its detection (none on a clip where `kind` is a companion). */
export function falseAlarmsOn(r: ClipResult, kind: EventClass, windowSeconds: number): number {
  if (isCompanion(r.clip, kind)) return 0;
  const hit = detection(r, kind, windowSeconds);
  return r.events.filter((e) => e.kind === kind && e !== hit).length;
}

export function eventMetrics(results: ClipResult[], windowSeconds: number): Record<EventClass, EventMetrics> {
  const out = {} as Record<EventClass, EventMetrics>;
  for (const kind of EVENT_CLASSES) {
    const own = results.filter((r) => r.clip.cls === kind);
    const hits = own.map((r) => ({ r, e: detection(r, kind, windowSeconds) })).filter((h) => h.e);
    const falseAlarms = results.reduce((n, r) => n + falseAlarmsOn(r, kind, windowSeconds), 0);
    const latencies = hits.map((h) => Math.max(0, h.e!.t - h.r.clip.onset!)).sort((a, b) => a - b);
    const recall = own.length ? hits.length / own.length : 0;
    const precision = hits.length + falseAlarms ? hits.length / (hits.length + falseAlarms) : 0;
    out[kind] = {
      clips: own.length,
      detected: hits.length,
      recall: round(recall),
      falseAlarms,
      precision: round(precision),
      f1: round(precision + recall ? (2 * precision * recall) / (precision + recall) : 0),
      latency: {
        p50: latencies.length ? round(latencies[Math.floor((latencies.length - 1) / 2)], 2) : null,
        max: latencies.length ? round(latencies[latencies.length - 1], 2) : null,
      },
    };
  }
  return out;
}

/** Events raised on normal footage, per hour of it. */
export function falseAlarmsPerHour(results: ClipResult[]): { hours: number; events: number; perHour: number | null } {
  const { hours, events, perCameraHour } = cameraHourRate(results.filter((r) => r.clip.cls === 'normal'));
  return { hours, events, perHour: perCameraHour };
}

/** Clip level: the true class against the first event raised on the clip (normal when none; companions skipped). */
export function confusion(results: ClipResult[]): { labels: ClipClass[]; matrix: number[][] } {
  const labels: ClipClass[] = ['fall', 'fire', 'smoke', 'normal'];
  const matrix = labels.map(() => labels.map(() => 0));
  for (const r of results) {
    const predicted = r.events.find((e) => !isCompanion(r.clip, e.kind))?.kind ?? 'normal';
    matrix[labels.indexOf(r.clip.cls)][labels.indexOf(predicted)]++;
  }
  return { labels, matrix };
}

/**
 * Window-level average precision for one class: the mean of the precision at each positive window when windows
 * are ranked by score (ties ranked together), over windows whose label is known. null without positives.
 */
export function averagePrecision(results: ClipResult[], cls: EventClass): number | null {
  const windows = results.flatMap((r) => r.windows).filter((w) => !Number.isNaN(w.labels[cls]));
  const positives = windows.filter((w) => w.labels[cls] === 1).length;
  if (!positives) return null;
  const sorted = [...windows].sort((a, b) => b.scores[cls] - a.scores[cls]);
  let ap = 0,
    tp = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i,
      hits = 0;
    while (j < sorted.length && sorted[j].scores[cls] === sorted[i].scores[cls]) hits += sorted[j++].labels[cls] === 1 ? 1 : 0;
    tp += hits;
    ap += (hits / positives) * (tp / j);
    i = j;
  }
  return round(ap);
}

/** Normal recordings at least this long are the "long normal" set: hours of a quiet camera, as a site has them. */
export const LONG_RECORDING_SECONDS = 40;

export interface CameraHourRate {
  /** Camera-hours of footage (each clip is one camera). */
  hours: number;
  events: number;
  perCameraHour: number | null;
}

/** False alarms per camera-hour on normal footage, all of it and only the long recordings. */
/** Events raised on these clips per hour of them (each clip one camera). */
function cameraHourRate(rs: ClipResult[]): CameraHourRate {
  const hours = rs.reduce((s, r) => s + r.seconds, 0) / 3600;
  const events = rs.reduce((s, r) => s + r.events.length, 0);
  return { hours: round(hours, 4), events, perCameraHour: hours ? round(events / hours, 1) : null };
}

export function falseAlarmsPerCameraHour(results: ClipResult[]): { all: CameraHourRate; long: CameraHourRate } {
  const normal = results.filter((r) => r.clip.cls === 'normal');
  return { all: cameraHourRate(normal), long: cameraHourRate(normal.filter((r) => r.seconds >= LONG_RECORDING_SECONDS)) };
}

export type GroupBy = 'source' | 'dataset';

export interface GroupRow {
  group: string;
  clips: number;
  minutes: number;
  /** Per event class: clips of that class in the group and how many raised it. */
  detected: Record<EventClass, { clips: number; detected: number }>;
  /** Events that count as false alarms in this group's clips (wrong class, or before the onset on its own clip). */
  falseAlarms: number;
  /** Minutes of normal footage in the group and the events raised on it. */
  normalMinutes: number;
}

/** One row per source (or dataset): what the model finds and what it raises wrongly there. */
export function groupRows(results: ClipResult[], by: GroupBy, windowSeconds: number): GroupRow[] {
  const groups = new Map<string, ClipResult[]>();
  for (const r of results) groups.set(r.clip[by], [...(groups.get(r.clip[by]) ?? []), r]);
  return [...groups.entries()]
    .map(([group, rs]) => {
      const detected = {} as GroupRow['detected'];
      let falseAlarms = 0;
      for (const kind of EVENT_CLASSES) {
        const own = rs.filter((r) => r.clip.cls === kind);
        detected[kind] = { clips: own.length, detected: own.filter((r) => detection(r, kind, windowSeconds)).length };
        falseAlarms += rs.reduce((n, r) => n + falseAlarmsOn(r, kind, windowSeconds), 0);
      }
      return {
        group,
        clips: rs.length,
        minutes: round(rs.reduce((s, r) => s + r.seconds, 0) / 60, 2),
        detected,
        falseAlarms,
        normalMinutes: round(rs.filter((r) => r.clip.cls === 'normal').reduce((s, r) => s + r.seconds, 0) / 60, 2),
      };
    })
    .sort((a, b) => a.group.localeCompare(b.group));
}

/**
 * Recall with every source weighed the same: the mean over sources of the share of that source's clips of the
 * class that raised it. One lab with ten clips counts once, as one camera site would.
 */
export function sourceWeightedRecall(rows: GroupRow[], kind: EventClass): number | null {
  const withClips = rows.filter((r) => r.detected[kind].clips > 0);
  if (!withClips.length) return null;
  return round(withClips.reduce((s, r) => s + r.detected[kind].detected / r.detected[kind].clips, 0) / withClips.length);
}
