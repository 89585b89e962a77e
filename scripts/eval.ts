/**
 * Evaluates a model over labelled video files through the agent's own decode, window and event rule, and writes
 * a markdown report, a JSON file and PNG plots (precision-recall curves, score timelines).
 *
 *   npm run eval -- <clips folder | manifest.tsv | synthetic> [--split val] [--card builtin | builtin-stream | card.json]
 *                   [--mode auto | window | streaming] [--hop N] [--config site.yaml] [--out folder] [--threads 2]
 *
 * `--config` takes the model (card, mode, hop) and the event rules from a site file, so a site's own settings can
 * be tried on footage before they go live; `--card`, `--mode` and `--hop` override the file.
 *
 * A clips folder holds manifest.tsv (columns file, class, split, event_span_s, as in ../shared/clips);
 * "synthetic" renders the project's scripted fall, fire and normal clips (seeds the training never drew).
 */
import { cliOption } from '@vigil/config';
import { loadVideoModel, normaliseFrame, resolveModelCard, windowSeconds, type ModelCard, type ModelMode } from '@vigil/model';
import {
  confusion,
  EVENT_CLASSES,
  eventMetrics,
  falseAlarmsPerHour,
  prCurve,
  prCurvesSvg,
  readEvalSet,
  renderMarkdown,
  timelinesSvg,
  windowLabel,
  windowMetrics,
  type ClipResult,
  type EvalClip,
  type EventClass,
  type EvalSummary,
} from '@vigil/model/evaluation';
import { FfmpegFrameSource, inputArguments, type Frame } from '@vigil/streams';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { loadSiteConfig } from '../apps/edge-agent/src/config/load-site-config';
import { SiteConfigSchema, type SiteConfig } from '../apps/edge-agent/src/config/site-config.schema';
import { EventTracker, trackerRule, type TrackerRule } from '../apps/edge-agent/src/events/event-tracker';
import { REPO_ROOT, renderClip, type Scenario } from './demo-clip';
import { svgToPng } from './svg-to-png';

const USAGE = 'usage: npm run eval -- <clips folder | manifest.tsv | synthetic> [--split val] [--card builtin|builtin-stream|card.json] [--mode auto|window|streaming] [--hop N] [--config site.yaml] [--out folder]';

function fail(message: string): never {
  console.error(`eval: ${message}`);
  process.exit(2);
}

/** The project's scripted clips with seeds the training never drew, rendered once into .cache/eval/synthetic. */
async function syntheticSet(): Promise<string> {
  const dir = join(REPO_ROOT, '.cache', 'eval', 'synthetic');
  const manifest = join(dir, 'manifest.tsv');
  if (existsSync(manifest)) return manifest;
  const plan: [Scenario, number][] = [];
  for (let seed = 101; seed <= 106; seed++) plan.push(['fall', seed], ['fire', seed + 100], ['normal', seed + 200]);
  const rows = ['file\tclass\tsplit\tduration_s\tevent_span_s'];
  for (const [i, [scenario, seed]] of plan.entries()) {
    const file = `${scenario}-${seed}.mp4`;
    process.stderr.write(`\rrendering synthetic clip ${i + 1}/${plan.length} (${file})   `);
    const info = await renderClip(scenario, join(dir, file), { width: 320, height: 180, seed, quiet: true });
    const onset = info.onsets_s[scenario];
    const span = onset === undefined ? 'n/a' : scenario === 'fall' ? `${onset}-${(onset + 1).toFixed(2)}` : `${onset}-${info.duration_s}`;
    rows.push([file, scenario, 'test', String(info.duration_s), span].join('\t'));
  }
  process.stderr.write('\n');
  writeFileSync(manifest, rows.join('\n') + '\n');
  return manifest;
}

/** Every frame of a file at the model's rate and size, decoded as the agent decodes a camera. */
async function decode(file: string, card: ModelCard): Promise<Frame[]> {
  const source = new FfmpegFrameSource({ input: inputArguments(file, { realtime: false }), fps: card.input.fps, size: { width: card.input.width, height: card.input.height } });
  const frames: Frame[] = [];
  const it = source.frames()[Symbol.asyncIterator]();
  for (;;) {
    const next = await it.next().catch((err: Error) => {
      if (!frames.length) throw new Error(`cannot decode ${file}: ${err.message}`);
      return { done: true as const, value: undefined };
    });
    if (next.done) break;
    frames.push(next.value);
  }
  if (!frames.length) throw new Error(`cannot decode ${file}: no frames`);
  return frames;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const target = argv[0];
  if (!target || target.startsWith('-')) fail(USAGE);
  const siteFile = cliOption(argv, '--config');
  let config: SiteConfig;
  try {
    config = siteFile ? loadSiteConfig(siteFile, process.env) : SiteConfigSchema.parse({ site: { id: 'eval' }, cameras: [{ id: 'eval', url: 'rtsp://127.0.0.1/eval' }] });
  } catch (err) {
    fail((err as Error).message);
  }
  const mode = (cliOption(argv, '--mode') ?? config.model.mode) as ModelMode;
  if (!['auto', 'window', 'streaming'].includes(mode)) fail(`--mode must be auto, window or streaming, got "${mode}"`);
  const hopOption = cliOption(argv, '--hop');
  const hop = hopOption === undefined ? config.model.hop : Number(hopOption);
  if (hop !== undefined && !(Number.isInteger(hop) && hop >= 1 && hop <= 64)) fail(`--hop must be a whole number of frames from 1 to 64, got "${hopOption}"`);
  const cardPath = resolveModelCard(cliOption(argv, '--card') ?? config.model.card);
  const split = cliOption(argv, '--split');
  const threads = Number(cliOption(argv, '--threads') ?? 2);

  const manifest = target === 'synthetic' ? await syntheticSet() : resolve(target);
  let clips: EvalClip[];
  try {
    clips = readEvalSet(manifest, split);
  } catch (err) {
    fail((err as Error).message);
  }
  const model = await loadVideoModel(cardPath, { mode, hop, intraOpThreads: threads, maxBatch: 1 });
  const { card } = model;
  const setName = target === 'synthetic' ? 'synthetic' : `${basename(resolve(target)).replace(/\.tsv$/, '')}${split ? `-${split}` : ''}`;
  const hopTag = hop === undefined ? '' : `-hop${hop}`;
  const out = resolve(cliOption(argv, '--out') ?? join('eval-output', `${card.name}-${model.mode}${hopTag}`, setName));
  mkdirSync(out, { recursive: true });
  const rules = Object.fromEntries(EVENT_CLASSES.map((k) => [k, trackerRule(config.events[k], bestLabelThreshold(card, k))])) as Record<EventClass, TrackerRule>;
  const thresholds = Object.fromEntries(EVENT_CLASSES.map((k) => [k, rules[k].threshold])) as Record<EventClass, number>;
  const rule = config.events.fall;
  const ruleText = `windows every ${card.window.hop} frames (${card.window.hop / card.input.fps} s), ${rule.smoothingWindows}-window average, ${rule.minWindows} windows over the threshold open, ${rule.clearWindows} under 60 % close, ${rule.cooldownSeconds} s cooldown`;
  console.error(`${model.describe()}\nevaluating ${clips.length} clips from ${manifest}${split ? ` (split ${split})` : ''} -> ${out}`);

  const results: ClipResult[] = [];
  let frames = 0;
  const started = Date.now();
  for (const [i, clip] of clips.entries()) {
    const decoded = await decode(clip.file, card);
    frames += decoded.length;
    const scorer = model.createScorer();
    const trackers = new Map(EVENT_CLASSES.map((k) => [k, new EventTracker(rules[k])]));
    const result: ClipResult = { clip, seconds: decoded.length / card.input.fps, windows: [], events: [] };
    for (const [n, frame] of decoded.entries()) {
      const t = (n + 1) / card.input.fps;
      const scored = await scorer.push(normaliseFrame(frame, card), t * 1000);
      if (!scored) continue;
      const scores = byKind(card, scored.scores);
      result.windows.push({ t, scores, labels: Object.fromEntries(EVENT_CLASSES.map((k) => [k, windowLabel(clip, k, t, windowSeconds(card))])) as Record<EventClass, number> });
      for (const kind of EVENT_CLASSES) {
        const transition = trackers.get(kind)!.observe(scores[kind], t * 1000);
        if (transition?.type === 'start') result.events.push({ kind, t, peak: transition.peak });
      }
    }
    results.push(result);
    const raised = result.events.map((e) => `${e.kind} at ${e.t.toFixed(1)} s`).join(', ') || 'no event';
    console.error(`[${String(i + 1).padStart(String(clips.length).length)}/${clips.length}] ${relative(process.cwd(), clip.file)} (${clip.cls}${clip.onset !== undefined ? ` from ${clip.onset} s` : ''}, ${result.seconds.toFixed(1)} s): ${raised}`);
  }

  const summary: EvalSummary = {
    model: card.name,
    mode: model.mode,
    source: target === 'synthetic' ? 'the synthetic evaluation clips' : `${relative(process.cwd(), manifest) || manifest}${split ? ` (split ${split})` : ''}`,
    date: new Date().toISOString().slice(0, 10),
    clips: results.length,
    seconds: results.reduce((s, r) => s + r.seconds, 0),
    thresholds,
    rule: ruleText,
    windows: windowMetrics(results, thresholds),
    events: eventMetrics(results, windowSeconds(card)),
    falseAlarms: falseAlarmsPerHour(results),
    confusion: confusion(results),
    msPerFrame: model.stats.totalMs / Math.max(1, frames),
    command: `npm run eval -- ${argv.join(' ')}`,
  };
  const curves = Object.fromEntries(EVENT_CLASSES.map((k) => [k, prCurve(results, k)])) as Record<EventClass, ReturnType<typeof prCurve>>;
  const operating = Object.fromEntries(EVENT_CLASSES.map((k) => [k, { precision: summary.windows[k].precision, recall: summary.windows[k].recall, threshold: thresholds[k] }])) as Record<EventClass, { precision: number; recall: number; threshold: number }>;
  writeFileSync(join(out, 'pr-curves.svg'), prCurvesSvg(curves, operating, `${card.name} (${model.mode}): window precision-recall`));
  writeFileSync(join(out, 'timelines.svg'), timelinesSvg(results, thresholds, `${card.name} (${model.mode}): scores over time`));
  await Promise.all([svgToPng(join(out, 'pr-curves.svg')), svgToPng(join(out, 'timelines.svg'))]);
  writeFileSync(join(out, 'eval.md'), renderMarkdown(summary, { pr: 'pr-curves.png', timelines: 'timelines.png' }));
  writeFileSync(join(out, 'eval.json'), JSON.stringify({ ...summary, curves, perClip: results.map((r) => ({ file: r.clip.file, class: r.clip.cls, onset: r.clip.onset, seconds: r.seconds, events: r.events })) }, null, 1));
  await model.release();
  console.error(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(renderMarkdown(summary, { pr: join(out, 'pr-curves.png'), timelines: join(out, 'timelines.png') }));
}

/** The card's threshold for the label that maps to `kind` (the highest, when several do). */
function bestLabelThreshold(card: ModelCard, kind: EventClass): number | undefined {
  const values = card.labels.filter((l) => card.eventKinds[l] === kind).map((l) => card.thresholds[l]).filter((v): v is number => v !== undefined);
  return values.length ? Math.max(...values) : undefined;
}

/** Scores by event kind: the highest of the labels mapped to each kind, as the agent's event service takes them. */
function byKind(card: ModelCard, scores: number[]): Record<EventClass, number> {
  const out = { fall: 0, fire: 0, smoke: 0 } as Record<EventClass, number>;
  card.labels.forEach((label, i) => {
    const kind = card.eventKinds[label] as EventClass | undefined;
    if (kind && kind in out) out[kind] = Math.max(out[kind], scores[i]);
  });
  return out;
}

main().catch((err: Error) => {
  console.error(`eval failed: ${err.message}`);
  process.exit(1);
});
