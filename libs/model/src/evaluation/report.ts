import type { BudgetChoice } from './calibrate';
import { EVENT_CLASSES, type EventClass } from './eval-set';
import { LONG_RECORDING_SECONDS, type CameraHourRate, type EventMetrics, type GroupBy, type GroupRow, type Prf } from './metrics';

export interface EvalSummary {
  model: string;
  mode: string;
  source: string;
  date: string;
  clips: number;
  seconds: number;
  thresholds: Record<EventClass, number>;
  rule: string;
  windows: Record<EventClass, Prf>;
  /** Window-level average precision per class (null without positive windows). */
  averagePrecision: Record<EventClass, number | null>;
  events: Record<EventClass, EventMetrics>;
  /** Event recall with each source weighed the same. */
  sourceRecall: Record<EventClass, number | null>;
  falseAlarms: { hours: number; events: number; perHour: number | null };
  cameraHours: { all: CameraHourRate; long: CameraHourRate };
  confusion: { labels: string[]; matrix: number[][] };
  by: GroupBy;
  groups: GroupRow[];
  msPerFrame: number;
  command: string;
}

const n = (v: number | null, d = 2) => (v === null ? '-' : v.toFixed(d));
const rate = (r: CameraHourRate) =>
  r.perCameraHour === null ? 'none in this set' : `${r.events} in ${(r.hours * 60).toFixed(1)} min = ${r.perCameraHour.toFixed(1)} per camera-hour`;
const found = (d: { clips: number; detected: number }) => (d.clips ? `${d.detected}/${d.clips}` : '');

function groupTable(s: EvalSummary): string[] {
  return [
    `| ${s.by} | clips | min | falls | fire | smoke | false alarms | normal min |`,
    '|---|---|---|---|---|---|---|---|',
    ...s.groups.map(
      (g) =>
        `| ${g.group} | ${g.clips} | ${g.minutes.toFixed(1)} | ${found(g.detected.fall)} | ${found(g.detected.fire)} | ${found(g.detected.smoke)} | ${g.falseAlarms} | ${g.normalMinutes.toFixed(1)} |`,
    ),
  ];
}

/** Sources where the model misses events or raises false alarms, worst first: where to look next. */
function failures(s: EvalSummary): string[] {
  const missed = (g: GroupRow) => EVENT_CLASSES.reduce((m, k) => m + g.detected[k].clips - g.detected[k].detected, 0);
  const bad = s.groups.filter((g) => missed(g) || g.falseAlarms).sort((a, b) => missed(b) + b.falseAlarms - (missed(a) + a.falseAlarms));
  if (!bad.length) return ['Every event found and no false alarm in any group.'];
  return bad.map((g) => {
    const misses = EVENT_CLASSES.filter((k) => g.detected[k].clips > g.detected[k].detected).map(
      (k) => `${g.detected[k].clips - g.detected[k].detected} of ${g.detected[k].clips} ${k} missed`,
    );
    return `- **${g.group}**: ${[...misses, ...(g.falseAlarms ? [`${g.falseAlarms} false alarm${g.falseAlarms > 1 ? 's' : ''}`] : [])].join(', ')}`;
  });
}

export function renderMarkdown(s: EvalSummary, plots: { pr: string; timelines: string }): string {
  return [
    `# Evaluation: ${s.model} on ${s.source}`,
    '',
    `${s.date}, \`${s.command}\`. ${s.clips} clips, ${(s.seconds / 60).toFixed(1)} min of video, run through the agent's decode, window (${s.mode}) and event rule: ${s.rule}. Model time ${s.msPerFrame.toFixed(2)} ms per decoded frame on this machine.`,
    '',
    '## Windows (at the card thresholds)',
    '',
    '| class | threshold | precision | recall | F1 | average precision | positive windows | labelled windows |',
    '|---|---|---|---|---|---|---|---|',
    ...EVENT_CLASSES.map((c) => {
      const m = s.windows[c];
      return `| ${c} | ${s.thresholds[c].toFixed(2)} | ${m.precision.toFixed(3)} | ${m.recall.toFixed(3)} | ${m.f1.toFixed(3)} | ${n(s.averagePrecision[c], 3)} | ${m.positives} | ${m.windows} |`;
    }),
    '',
    '## Events (what an operator would see)',
    '',
    '| class | clips | detected | recall | recall, sources weighed evenly | false alarms | precision | F1 | latency p50 (s) | latency max (s) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...EVENT_CLASSES.map((c) => {
      const m = s.events[c];
      return `| ${c} | ${m.clips} | ${m.detected} | ${m.recall.toFixed(3)} | ${n(s.sourceRecall[c], 3)} | ${m.falseAlarms} | ${m.precision.toFixed(3)} | ${m.f1.toFixed(3)} | ${n(m.latency.p50)} | ${n(m.latency.max)} |`;
    }),
    '',
    `Latency is from the labelled onset to the event, measured on the video's clock. False alarms counts events of a class on clips of another class (fire and smoke excepted on each other's clips) and events before the onset. Events on normal footage: ${rate(s.cameraHours.all)}; on the long normal recordings (${LONG_RECORDING_SECONDS} s or more): ${rate(s.cameraHours.long)}.`,
    '',
    '## Clips: true class against the first event raised',
    '',
    `| true \\ raised | ${s.confusion.labels.join(' | ')} |`,
    `|---${'|---'.repeat(s.confusion.labels.length)}|`,
    ...s.confusion.labels.map((l, i) => `| ${l} | ${s.confusion.matrix[i].join(' | ')} |`),
    '',
    `## By ${s.by}`,
    '',
    ...groupTable(s),
    '',
    '## Where it fails',
    '',
    ...failures(s),
    '',
    '## Plots',
    '',
    `![precision-recall](${plots.pr})`,
    '',
    `![score timelines](${plots.timelines})`,
    '',
  ].join('\n');
}

/** The thresholds a false-alarm budget chose on this set, and the set scored again at them. */
export function renderCalibration(c: { budget: number; choices: BudgetChoice[]; summary: EvalSummary }): string {
  const s = c.summary;
  return [
    '',
    `## Thresholds for at most ${c.budget} false alarm${c.budget === 1 ? '' : 's'} per camera-hour`,
    '',
    'Chosen on this set (the most clips found within the budget, the highest threshold among equals): selection, not a measurement. Report them on footage the choice did not see.',
    '',
    '| class | threshold | budget met | found | false alarms | camera-hours without the class | recall, sources weighed evenly |',
    '|---|---|---|---|---|---|---|',
    ...c.choices.map(
      (ch) =>
        `| ${ch.kind} | ${ch.chosen.threshold.toFixed(2)} | ${ch.met ? 'yes' : 'no'} | ${ch.chosen.detected}/${ch.chosen.clips} | ${ch.chosen.falseAlarms} | ${ch.chosen.negativeHours.toFixed(3)} | ${n(s.sourceRecall[ch.kind], 3)} |`,
    ),
    '',
    `At these thresholds: events on normal footage ${rate(s.cameraHours.all)}; long recordings ${rate(s.cameraHours.long)}.`,
    '',
    `| true \\ raised | ${s.confusion.labels.join(' | ')} |`,
    `|---${'|---'.repeat(s.confusion.labels.length)}|`,
    ...s.confusion.labels.map((l, i) => `| ${l} | ${s.confusion.matrix[i].join(' | ')} |`),
    '',
  ].join('\n');
}
