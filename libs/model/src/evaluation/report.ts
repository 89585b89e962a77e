import { EVENT_CLASSES, type EventClass } from './eval-set';
import type { EventMetrics, Prf } from './metrics';

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
  events: Record<EventClass, EventMetrics>;
  falseAlarms: { hours: number; events: number; perHour: number | null };
  confusion: { labels: string[]; matrix: number[][] };
  msPerFrame: number;
  command: string;
}

const n = (v: number | null, d = 2) => (v === null ? '-' : v.toFixed(d));

export function renderMarkdown(s: EvalSummary, plots: { pr: string; timelines: string }): string {
  return [
    `# Evaluation: ${s.model} on ${s.source}`,
    '',
    `${s.date}, \`${s.command}\`. ${s.clips} clips, ${(s.seconds / 60).toFixed(1)} min of video, run through the agent's decode, window (${s.mode}) and event rule: ${s.rule}. Model time ${s.msPerFrame.toFixed(2)} ms per decoded frame on this machine.`,
    '',
    '## Windows (at the card thresholds)',
    '',
    '| class | threshold | precision | recall | F1 | positive windows | labelled windows |',
    '|---|---|---|---|---|---|---|',
    ...EVENT_CLASSES.map((c) => { const m = s.windows[c]; return `| ${c} | ${s.thresholds[c].toFixed(2)} | ${m.precision.toFixed(3)} | ${m.recall.toFixed(3)} | ${m.f1.toFixed(3)} | ${m.positives} | ${m.windows} |`; }),
    '',
    '## Events (what an operator would see)',
    '',
    '| class | clips | detected | recall | false alarms | precision | F1 | latency p50 (s) | latency max (s) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...EVENT_CLASSES.map((c) => { const m = s.events[c]; return `| ${c} | ${m.clips} | ${m.detected} | ${m.recall.toFixed(3)} | ${m.falseAlarms} | ${m.precision.toFixed(3)} | ${m.f1.toFixed(3)} | ${n(m.latency.p50)} | ${n(m.latency.max)} |`; }),
    '',
    `Latency is from the labelled onset to the event, measured on the video's clock. False alarms on normal footage: ${s.falseAlarms.events} in ${(s.falseAlarms.hours * 60).toFixed(1)} min${s.falseAlarms.perHour === null ? '' : ` = ${s.falseAlarms.perHour.toFixed(1)} per hour`}.`,
    '',
    '## Clips: true class against the first event raised',
    '',
    `| true \\ raised | ${s.confusion.labels.join(' | ')} |`,
    `|---${'|---'.repeat(s.confusion.labels.length)}|`,
    ...s.confusion.labels.map((l, i) => `| ${l} | ${s.confusion.matrix[i].join(' | ')} |`),
    '',
    '## Plots',
    '',
    `![precision-recall](${plots.pr})`,
    '',
    `![score timelines](${plots.timelines})`,
    '',
  ].join('\n');
}
