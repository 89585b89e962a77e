/**
 * Evaluates a model over labelled video files through the agent's own decode, window and event rule, and writes
 * a markdown report, a JSON file and PNG plots (precision-recall curves, score timelines).
 *
 *   npm run eval -- <clips folder | manifest.tsv | synthetic> [--split val] [--card builtin | builtin-stream | card.json]
 *                   [--mode auto | window | streaming] [--hop N] [--config site.yaml] [--out folder] [--threads 2]
 *                   [--by source | dataset] [--budget N [--write-card card.json]] [--fall video | pose | max | mean]
 *                   [--views whole | tiles] [--confirm builtin-tiles | card.json | off [--gate N]]
 *
 * Every file is decoded frame by frame (never at a live camera's newest-frame-wins pace), so two runs give the
 * same report whatever else the machine is doing. `--by` groups the per-source rows by the manifest's
 * `source_repo` (default) or `dataset`. `--budget N` chooses, per class, the threshold that finds the most clips
 * with at most N false alarms per camera-hour on this set and reports the set again at those thresholds;
 * `--write-card` stores them in a card. Choose on a val split and report on other footage. `--fall` takes the fall
 * score from the pose stage (the agent's default, `model.fall`: pose model keypoints -> pose-fall model,
 * `--pose-card`), the video model, or the max or mean of both; `--pose-gate N` (`model.poseMotionGate`) keeps the
 * previous pose where nothing moved by more than N grey levels.
 *
 * `--views tiles` scores the whole picture and its four quadrants decoded at twice the model's size (`model.views`;
 * default: the card's `views`); a card written with `--write-card` records the views its thresholds were chosen for.
 * `--confirm <card> [--gate N]` (`model.confirm`) scores fire and smoke as a cascade: the card's model on every
 * window, the confirming model on the whole picture and quadrants of windows whose fire or smoke score reaches N
 * (default: the gate in the confirming card); the report counts the windows each stage scored. With `--write-card`
 * the gate and the chosen fire and smoke thresholds go into the given (confirming) card's `confirming` section.
 * `--confirm off` scores without the cascade whatever the site file says.
 *
 * `--config` takes the model (card, mode, hop, views) and the event rules from a site file, so a site's own settings
 * can be tried on footage before they go live; `--card`, `--mode`, `--hop` and `--views` override the file.
 *
 * A clips folder holds manifest.tsv (columns file, class, split, event_span_s, as in ../shared/clips);
 * "synthetic" renders the project's scripted fall, fire and normal clips (seeds the training never drew).
 */
import { readCommandLine, UsageError } from '@vigil/config';
import {
  Cascade,
  CONFIRMED_KINDS,
  loadModelCard,
  loadVideoModel,
  PoseStage,
  resolveModelCard,
  resolvePoseFallCard,
  VIEW_COUNT,
  windowSeconds,
  type ModelCard,
  type ModelMode,
  type Views,
} from '@vigil/model';
import {
  averagePrecision,
  confusion,
  EVENT_CLASSES,
  eventMetrics,
  falseAlarmsPerCameraHour,
  falseAlarmsPerHour,
  groupRows,
  prCurve,
  prCurvesSvg,
  readEvalSet,
  renderCalibration,
  renderMarkdown,
  sourceWeightedRecall,
  thresholdForBudget,
  timelinesSvg,
  windowMetrics,
  type BudgetChoice,
  type ClipResult,
  type EvalClip,
  type EventClass,
  type EvalSummary,
  type GroupBy,
} from '@vigil/model/evaluation';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { loadSiteConfig } from '../apps/edge-agent/src/config/load-site-config';
import { SiteConfigSchema, type SiteConfig } from '../apps/edge-agent/src/config/site-config.schema';
import { trackerRule, type TrackerRule } from '../apps/edge-agent/src/events/event-tracker';
import { confirmSetting } from '../apps/edge-agent/src/inference/cascade-setting';
import { REPO_ROOT, renderClip, type Scenario } from './demo-clip';
import { combineFall, raiseEvents, scoreClip, viewsScoring, type ClipScoring, type FallSource, type PoseFallOption } from './eval-clip';
import { svgToPng } from './svg-to-png';

const USAGE =
  'usage: npm run eval -- <clips folder | manifest.tsv | synthetic> [--split val] [--card builtin|builtin-stream|card.json] [--mode auto|window|streaming] [--hop N] [--config site.yaml] [--out folder] [--by source|dataset] [--budget N [--write-card card.json]] [--fall video|pose|max|mean] [--pose-card card.json] [--pose-gate N] [--views whole|tiles] [--confirm builtin-tiles|card.json|off [--gate N]] [--threads 2]';

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

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let option: Record<string, string | undefined>;
  let target: string;
  try {
    const line = readCommandLine(
      argv,
      {
        budget: { type: 'string' },
        by: { type: 'string' },
        card: { type: 'string' },
        config: { type: 'string' },
        confirm: { type: 'string' },
        gate: { type: 'string' },
        fall: { type: 'string' },
        hop: { type: 'string' },
        mode: { type: 'string' },
        out: { type: 'string' },
        'pose-card': { type: 'string' },
        'pose-gate': { type: 'string' },
        split: { type: 'string' },
        threads: { type: 'string' },
        views: { type: 'string' },
        'write-card': { type: 'string' },
      },
      USAGE,
      { min: 1, max: 1 },
    );
    option = line.values as Record<string, string | undefined>;
    target = line.positionals[0];
  } catch (err) {
    if (err instanceof UsageError) fail(err.message);
    throw err;
  }
  const siteFile = option['config'];
  let config: SiteConfig;
  try {
    config = siteFile
      ? loadSiteConfig(siteFile, process.env)
      : SiteConfigSchema.parse({ site: { id: 'eval' }, cameras: [{ id: 'eval', url: 'rtsp://127.0.0.1/eval' }] });
  } catch (err) {
    fail((err as Error).message);
  }
  const mode = (option['mode'] ?? config.model.mode) as ModelMode;
  if (!['auto', 'window', 'streaming'].includes(mode)) fail(`--mode must be auto, window or streaming, got "${mode}"`);
  const hopOption = option['hop'];
  const hop = hopOption === undefined ? config.model.hop : Number(hopOption);
  if (hop !== undefined && !(Number.isInteger(hop) && hop >= 1 && hop <= 64)) fail(`--hop must be a whole number of frames from 1 to 64, got "${hopOption}"`);
  const by = (option['by'] ?? 'source') as GroupBy;
  if (!['source', 'dataset'].includes(by)) fail(`--by must be source or dataset, got "${by}"`);
  const budgetOption = option['budget'];
  const budget = budgetOption === undefined ? undefined : Number(budgetOption);
  if (budget !== undefined && !(Number.isFinite(budget) && budget >= 0))
    fail(`--budget is false alarms per camera-hour, a number from 0 up, got "${budgetOption}"`);
  const fallFrom = (option['fall'] ?? config.model.fall) as FallSource;
  if (!['video', 'pose', 'max', 'mean'].includes(fallFrom)) fail(`--fall must be video, pose, max or mean, got "${fallFrom}"`);
  const writeCard = option['write-card'];
  if (writeCard !== undefined && budget === undefined) fail('--write-card writes the thresholds that --budget chooses: add --budget N');
  if (writeCard !== undefined && !existsSync(writeCard))
    fail(`--write-card: no card at ${writeCard}; pass the card file to update (e.g. libs/model/weights/vigil-vit-tiny.card.json)`);
  const cardPath = resolveModelCard(option['card'] ?? config.model.card);
  const split = option['split'];
  const threads = Number(option['threads'] ?? 2);

  const manifest = target === 'synthetic' ? await syntheticSet() : resolve(target);
  let clips: EvalClip[];
  try {
    clips = readEvalSet(manifest, split);
  } catch (err) {
    fail((err as Error).message);
  }
  const viewsOption = option['views'] ?? config.model.views;
  if (viewsOption !== undefined && !['whole', 'tiles'].includes(viewsOption)) fail(`--views must be whole or tiles, got "${viewsOption}"`);
  const views = (viewsOption ?? loadModelCard(cardPath).card.views) as Views;
  const configured = confirmSetting({
    ...config.model,
    ...(option['card'] ? { card: option['card'] } : {}),
    ...(viewsOption ? { views: viewsOption as Views } : {}),
  });
  const confirmOption = option['confirm'] ?? configured?.card;
  const confirmCard = confirmOption === 'off' ? undefined : confirmOption;
  const gateOption = option['gate'] ?? configured?.gate;
  const gate = gateOption === undefined ? undefined : Number(gateOption);
  if (gate !== undefined && !(gate >= 0 && gate <= 0.99)) fail(`--gate is a score from 0 to 0.99, got "${gateOption}"`);
  if (confirmCard !== undefined && views !== 'whole') fail('--confirm scores the whole picture first and tiles to confirm; leave out --views tiles');
  const model = await loadVideoModel(cardPath, { mode, hop, intraOpThreads: threads, maxBatch: VIEW_COUNT[views] });
  let cascade: Cascade | undefined;
  if (confirmCard !== undefined) {
    const second = await loadVideoModel(resolveModelCard(confirmCard), { mode: 'window', hop, intraOpThreads: threads, maxBatch: VIEW_COUNT.tiles });
    try {
      cascade = new Cascade(model, second, gate);
    } catch (err) {
      fail((err as Error).message);
    }
  }
  const scoring: ClipScoring = cascade ?? viewsScoring(model, views);
  const { card } = scoring;
  let pose: PoseFallOption | undefined;
  if (fallFrom !== 'video') {
    const motionGate = Number(option['pose-gate'] ?? config.model.poseMotionGate);
    if (!(motionGate >= 0 && motionGate <= 50)) fail(`--pose-gate must be grey levels from 0 to 50, got "${option['pose-gate']}"`);
    pose = {
      stage: await PoseStage.open(resolvePoseFallCard(option['pose-card'] ?? config.model.poseCard), { intraOpThreads: threads, motionGate }),
      combine: fallFrom,
    };
    console.error(`${pose.stage.describe()}${fallFrom === 'pose' ? '' : `, ${fallFrom} with the video model's`}`);
  }
  const setName = target === 'synthetic' ? 'synthetic' : `${basename(resolve(target)).replace(/\.tsv$/, '')}${split ? `-${split}` : ''}`;
  const hopTag = `${hop === undefined ? '' : `-hop${hop}`}${views === 'tiles' ? '-tiles' : ''}${cascade ? `-gate${cascade.gate}` : ''}`;
  const out = resolve(option['out'] ?? join('eval-output', `${card.name}-${model.mode}${hopTag}`, setName));
  mkdirSync(out, { recursive: true });
  const cardThreshold = (k: EventClass) =>
    k === 'fall' && pose ? combineFall(bestLabelThreshold(card, k) ?? 0.5, pose.stage.threshold, fallFrom) : bestLabelThreshold(card, k);
  const rules = Object.fromEntries(EVENT_CLASSES.map((k) => [k, trackerRule(config.events[k], cardThreshold(k))])) as Record<EventClass, TrackerRule>;
  const rule = config.events.fall;
  const ruleText = `windows every ${card.window.hop} frames (${card.window.hop / card.input.fps} s), ${rule.smoothingWindows}-window average, ${rule.minWindows} windows over the threshold open, ${rule.clearWindows} under 60 % close, ${rule.cooldownSeconds} s cooldown`;
  console.error(
    `${model.describe()}${views === 'tiles' ? '; views: whole + 4 tiles from frames decoded at twice the size' : ''}${cascade ? `\n${cascade.describe()}` : ''}\nevaluating ${clips.length} clips from ${manifest}${split ? ` (split ${split})` : ''} -> ${out}`,
  );

  const results: ClipResult[] = [];
  const confirmedByClass: Record<string, { windows: number; confirmed: number }> = {};
  let frames = 0;
  let posesReused = 0;
  const started = Date.now();
  for (const [i, clip] of clips.entries()) {
    const before = cascade && { ...cascade.stats };
    const scored = await scoreClip(scoring, clip, pose);
    if (cascade && before) {
      const c = (confirmedByClass[clip.cls] ??= { windows: 0, confirmed: 0 });
      c.windows += cascade.stats.windows - before.windows;
      c.confirmed += cascade.stats.confirmed - before.confirmed;
    }
    frames += scored.frames;
    posesReused += scored.posesReused;
    const result = scored.result;
    result.events = raiseEvents(result, rules);
    results.push(result);
    const raised = result.events.map((e) => `${e.kind} at ${e.t.toFixed(1)} s`).join(', ') || 'no event';
    console.error(
      `[${String(i + 1).padStart(String(clips.length).length)}/${clips.length}] ${relative(process.cwd(), clip.file)} (${clip.cls}${clip.onset !== undefined ? ` from ${clip.onset} s` : ''}, ${result.seconds.toFixed(1)} s): ${raised}`,
    );
  }
  const summary = summarise(results, {
    model: `${card.name}${views === 'tiles' ? ' (views: whole + 4 tiles)' : ''}${cascade ? ` (cascade, gate ${cascade.gate})` : ''}${pose ? ` + ${pose.stage.fall.card.name} (fall: ${fallFrom})` : ''}`,
    mode: model.mode,
    source: target === 'synthetic' ? 'the synthetic evaluation clips' : `${relative(process.cwd(), manifest) || manifest}${split ? ` (split ${split})` : ''}`,
    thresholds: Object.fromEntries(EVENT_CLASSES.map((k) => [k, rules[k].threshold])) as Record<EventClass, number>,
    rule: ruleText,
    msPerFrame: (model.stats.totalMs + (cascade?.second.stats.totalMs ?? 0)) / Math.max(1, frames),
    command: `npm run eval -- ${argv.join(' ')}`,
    by,
    windowSeconds: windowSeconds(card),
  });

  let calibration: Calibration | undefined;
  if (budget !== undefined) {
    const ruleAt = (kind: EventClass, threshold: number) => trackerRule({ ...config.events[kind], threshold });
    const choices = EVENT_CLASSES.map((kind) =>
      thresholdForBudget(results, kind, (r, th) => raiseEvents(r, { ...rules, [kind]: ruleAt(kind, th) }, [kind]), budget, windowSeconds(card)),
    );
    const chosen = Object.fromEntries(choices.map((c) => [c.kind, c.chosen.threshold])) as Record<EventClass, number>;
    const calibratedRules = Object.fromEntries(EVENT_CLASSES.map((k) => [k, ruleAt(k, chosen[k])])) as Record<EventClass, TrackerRule>;
    const calibrated = results.map((r) => ({ ...r, events: raiseEvents(r, calibratedRules) }));
    calibration = { budget, choices, summary: summarise(calibrated, { ...summary, thresholds: chosen, by, windowSeconds: windowSeconds(card) }) };
    if (writeCard && cascade) {
      const written = updateConfirmingThresholds(writeCard, chosen, cascade.gate, {
        budgetPerCameraHour: budget,
        firstStage: model.card.name,
        set: summary.source,
        command: summary.command,
        date: summary.date,
      });
      console.error(
        `wrote the cascade's gate ${cascade.gate} and thresholds ${Object.entries(written)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} into ${writeCard} (confirming)`,
      );
    } else if (writeCard) {
      const written = updateCardThresholds(writeCard, chosen, fallFrom, views, {
        budgetPerCameraHour: budget,
        set: summary.source,
        command: summary.command,
        date: summary.date,
      });
      console.error(
        `wrote thresholds ${
          Object.entries(written)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || '(none: no kind here is scored by that card)'
        } into ${writeCard}`,
      );
    }
  }

  const curves = Object.fromEntries(EVENT_CLASSES.map((k) => [k, prCurve(results, k)])) as Record<EventClass, ReturnType<typeof prCurve>>;
  const operating = Object.fromEntries(
    EVENT_CLASSES.map((k) => [k, { precision: summary.windows[k].precision, recall: summary.windows[k].recall, threshold: summary.thresholds[k] }]),
  ) as Record<EventClass, { precision: number; recall: number; threshold: number }>;
  writeFileSync(join(out, 'pr-curves.svg'), prCurvesSvg(curves, operating, `${card.name} (${model.mode}): window precision-recall`));
  writeFileSync(join(out, 'timelines.svg'), timelinesSvg(results, summary.thresholds, `${card.name} (${model.mode}): scores over time`));
  await Promise.all([svgToPng(join(out, 'pr-curves.svg')), svgToPng(join(out, 'timelines.svg'))]);
  const cascadeText = cascade
    ? `\n**Cascade**: windows ${cascade.second.card.name} confirmed (fire or smoke from ${model.card.name} >= ${cascade.gate}), by clip class: ${Object.entries(
        confirmedByClass,
      )
        .map(([cls, c]) => `${cls} ${c.confirmed} of ${c.windows} (${((100 * c.confirmed) / Math.max(1, c.windows)).toFixed(1)} %)`)
        .join(
          ', ',
        )}; ms per frame: ${(model.stats.totalMs / Math.max(1, frames)).toFixed(2)} first stage, ${(cascade.second.stats.totalMs / Math.max(1, frames)).toFixed(2)} second.\n`
    : '';
  const markdown = (plots: { pr: string; timelines: string }) =>
    renderMarkdown(summary, plots) + cascadeText + (calibration ? renderCalibration(calibration) : '');
  writeFileSync(join(out, 'eval.md'), markdown({ pr: 'pr-curves.png', timelines: 'timelines.png' }));
  writeFileSync(
    join(out, 'eval.json'),
    JSON.stringify(
      {
        ...summary,
        cascade: cascade && { gate: cascade.gate, confirming: cascade.second.card.name, byClass: confirmedByClass },
        curves,
        calibration: calibration && {
          budget: calibration.budget,
          choices: calibration.choices.map(({ sweep, ...c }) => ({ ...c, sweep })),
          summary: calibration.summary,
        },
        perClip: results.map((r) => ({
          file: r.clip.file,
          class: r.clip.cls,
          source: r.clip.source,
          dataset: r.clip.dataset,
          onset: r.clip.onset,
          seconds: r.seconds,
          events: r.events,
          windows: r.windows.map((w) => ({ t: w.t, ...w.scores })),
        })),
      },
      null,
      1,
    ),
  );
  await (cascade ?? model).release();
  await pose?.stage.release();
  console.error(
    `done in ${((Date.now() - started) / 1000).toFixed(0)} s${pose ? `; poses kept from the previous frame (nothing moved): ${posesReused} of ${frames}` : ''}${
      cascade ? `; windows confirmed by ${cascade.second.card.name}: ${cascade.stats.confirmed} of ${cascade.stats.windows}` : ''
    }`,
  );
  console.log(markdown({ pr: join(out, 'pr-curves.png'), timelines: join(out, 'timelines.png') }));
}

interface Calibration {
  budget: number;
  choices: BudgetChoice[];
  summary: EvalSummary;
}

function summarise(
  results: ClipResult[],
  o: Pick<EvalSummary, 'model' | 'mode' | 'source' | 'thresholds' | 'rule' | 'msPerFrame' | 'command' | 'by'> & { windowSeconds: number },
): EvalSummary {
  const groups = groupRows(results, o.by, o.windowSeconds);
  const bySource = o.by === 'source' ? groups : groupRows(results, 'source', o.windowSeconds);
  return {
    model: o.model,
    mode: o.mode,
    source: o.source,
    date: new Date().toISOString().slice(0, 10),
    clips: results.length,
    seconds: results.reduce((s, r) => s + r.seconds, 0),
    thresholds: o.thresholds,
    rule: o.rule,
    windows: windowMetrics(results, o.thresholds),
    averagePrecision: Object.fromEntries(EVENT_CLASSES.map((k) => [k, averagePrecision(results, k)])) as Record<EventClass, number | null>,
    events: eventMetrics(results, o.windowSeconds),
    sourceRecall: Object.fromEntries(EVENT_CLASSES.map((k) => [k, sourceWeightedRecall(bySource, k)])) as Record<EventClass, number | null>,
    falseAlarms: falseAlarmsPerHour(results),
    cameraHours: falseAlarmsPerCameraHour(results),
    confusion: confusion(results),
    by: o.by,
    groups,
    msPerFrame: o.msPerFrame,
    command: o.command,
  };
}

/**
 * Writes the chosen thresholds into a card for each of its labels that raises a chosen kind, with where they came
 * from; only kinds whose scores came from that card's model (a pose-fall card takes the fall threshold when falls
 * came from the pose stage; a video card takes the others, and fall only when falls came from it).
 */
function updateCardThresholds(
  path: string,
  chosen: Record<EventClass, number>,
  fallFrom: FallSource,
  views: Views,
  provenance: Record<string, unknown>,
): Partial<Record<EventClass, number>> {
  const json = JSON.parse(readFileSync(path, 'utf8')) as {
    schema?: string;
    labels?: string[];
    eventKinds?: Record<string, string>;
    thresholds?: Record<string, number>;
    views?: Views;
    calibration?: unknown;
  };
  const poseCard = json.schema === 'vigil.pose-fall-card/1';
  const fromThisCard = (kind: EventClass) => (kind === 'fall' ? (poseCard ? fallFrom === 'pose' : fallFrom === 'video') : !poseCard);
  const written: Partial<Record<EventClass, number>> = {};
  json.thresholds = { ...(json.thresholds ?? {}) };
  for (const label of json.labels ?? []) {
    const kind = (json.eventKinds ? json.eventKinds[label] : label) as EventClass | undefined;
    if (kind && kind in chosen && fromThisCard(kind)) written[kind] = json.thresholds[label] = chosen[kind];
  }
  // a video card's thresholds hold for the views they were chosen with, so the agent scores that way by default
  if (!poseCard && Object.keys(written).length) json.views = views;
  json.calibration = { ...provenance, views, thresholds: written };
  writeFileSync(path, JSON.stringify(json, null, 2) + '\n');
  return written;
}

/**
 * Writes a cascade's fire and smoke thresholds, and the gate they were chosen with, into the confirming model's
 * card (`confirming`), where the agent reads them when that model confirms another's candidates.
 */
function updateConfirmingThresholds(
  path: string,
  chosen: Record<EventClass, number>,
  gate: number,
  provenance: Record<string, unknown>,
): Record<string, number> {
  const json = JSON.parse(readFileSync(path, 'utf8')) as { labels?: string[]; eventKinds?: Record<string, string>; confirming?: unknown };
  const thresholds: Record<string, number> = {};
  for (const label of json.labels ?? []) {
    const kind = json.eventKinds?.[label] as EventClass | undefined;
    if (kind && CONFIRMED_KINDS.includes(kind)) thresholds[label] = chosen[kind];
  }
  json.confirming = { gate, thresholds, calibration: provenance };
  writeFileSync(path, JSON.stringify(json, null, 2) + '\n');
  return thresholds;
}

/** The card's threshold for the label that maps to `kind` (the highest, when several do). */
function bestLabelThreshold(card: ModelCard, kind: EventClass): number | undefined {
  const values = card.labels
    .filter((l) => card.eventKinds[l] === kind)
    .map((l) => card.thresholds[l])
    .filter((v): v is number => v !== undefined);
  return values.length ? Math.max(...values) : undefined;
}

main().catch((err: Error) => {
  console.error(`eval failed: ${err.message}`);
  process.exit(1);
});
