import type { EventKind } from '@vigil/contracts';

/** Bump when the wording or the answer format changes; stored with each explanation. */
export const PROMPT_VERSION = 'event-explanation/1';

export interface ExplainEvidence {
  kind: EventKind;
  site: string;
  cameraName: string;
  location?: string;
  /** Local time of the first window over the threshold, e.g. "Tue 14:03:12". */
  localTime: string;
  threshold: number;
  peakScore: number;
  /** Window scores of the event so far, oldest first, with seconds relative to the event start. */
  timeline: Array<{ t: number; score: number }>;
  durationSeconds: number;
  /** Other events on this site in the last hour, newest first. */
  recent: Array<{ kind: EventKind; cameraName: string; minutesAgo: number }>;
  /** JPEG of the moment the event opened, for vision models. */
  snapshotJpeg?: Buffer;
}

export type ChatMessage =
  | { role: 'system' | 'assistant'; content: string }
  | { role: 'user'; content: string | Array<{ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } }> };

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', 'zh-CN': 'Simplified Chinese (简体中文)' };

const SYSTEM = `You write alarm explanations for security operators watching camera sites.
You receive what a video model measured for one event. Explain it in two or three short sentences: what was
detected, where and when, how confident the model is, and anything in the evidence that makes it more or less
credible (a single spike, a long steady score, repeats on the same camera). Use only the evidence given; never
invent people, objects, injuries or causes that it does not state. Then rate the severity and give one concrete
action for the operator.
Answer with JSON only, no prose around it:
{"summary": "...", "severity": "low" | "medium" | "high" | "critical", "suggestedAction": "..."}`;

/** The chat messages for one event. Pure: same evidence, same prompt. */
export function buildPrompt(e: ExplainEvidence, language: string, vision: boolean): ChatMessage[] {
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const timeline = e.timeline.map((p) => `${p.t.toFixed(1)}s:${pct(p.score)}`).join(', ');
  const recent = e.recent.length ? e.recent.map((r) => `${r.kind} on "${r.cameraName}" ${r.minutesAgo} min ago`).join('; ') : 'none';
  const facts = [
    `Event: possible ${e.kind}`,
    `Site: ${e.site}`,
    `Camera: "${e.cameraName}"${e.location ? `, location: ${e.location}` : ''}`,
    `Local time: ${e.localTime}`,
    `Model score threshold: ${pct(e.threshold)}; peak score: ${pct(e.peakScore)}`,
    `Scores since the event opened (seconds: score): ${timeline || 'n/a'}`,
    `Duration so far: ${e.durationSeconds.toFixed(1)} s`,
    `Other events on this site in the last hour: ${recent}`,
    `Write the summary and the action in ${LANGUAGE_NAMES[language] ?? language}; keep the JSON keys in English.`,
  ].join('\n');
  const user: ChatMessage =
    vision && e.snapshotJpeg
      ? {
          role: 'user',
          content: [
            { type: 'text', text: `${facts}\nThe attached picture is the camera view when the event opened.` },
            { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${e.snapshotJpeg.toString('base64')}` } },
          ],
        }
      : { role: 'user', content: facts };
  return [{ role: 'system', content: SYSTEM }, user];
}
