/**
 * Charts for docs/benchmarks.md from the JSON the benches write (`--json`), not from the tables they print:
 *
 *   npm run bench:cameras -- --cameras 1,4,8,16 --json cameras-window.json
 *   npm run bench:plot -- --out docs/img --cameras cameras-window.json,cameras-stream.json --inference inference.json
 *
 * Cameras results with the same model and hop are one series; rows where not every camera came online are left out
 * (the simulator, not the agent, was the limit). Writes PNGs (rasterised by ffmpeg) and names them.
 */
import { readCommandLine, UsageError } from '@vigil/config';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { svgToPng } from '../scripts/svg-to-png';
import { lineChartSvg, type LineChart, type Series } from './charts';
import type { CamerasResult, InferenceResult } from './results';

const USAGE = 'usage: npm run bench:plot -- [--out docs/img] --cameras a.json,b.json --inference c.json  (written by the benches with --json)';
const list = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : []);

function readResult<K extends 'cameras' | 'inference'>(file: string, bench: K): K extends 'cameras' ? CamerasResult : InferenceResult {
  let data: { bench?: unknown };
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as { bench?: unknown };
  } catch {
    throw new Error(`${file}: not bench JSON; write it with npm run bench:${bench} -- --json ${file}`);
  }
  if (data.bench !== bench) throw new Error(`${file}: not the JSON of npm run bench:${bench} (bench: ${JSON.stringify(data.bench)})`);
  return data as K extends 'cameras' ? CamerasResult : InferenceResult;
}

/** "window model, card hop" style label of a cameras run. */
function runLabel(r: CamerasResult): string {
  const card = r.model.card;
  const model = card === 'builtin' ? 'window model' : card === 'builtin-stream' ? 'streaming student' : card;
  return `${model}, ${r.model.hop ? `hop ${r.model.hop}` : 'card hop'}`;
}

function cameraCharts(files: string[]): Record<string, LineChart> {
  const cpu = new Map<string, Array<[number, number]>>();
  const p95 = new Map<string, Array<[number, number]>>();
  const dropped = new Map<string, Array<[number, number]>>();
  const add = (m: Map<string, Array<[number, number]>>, label: string, p: [number, number]) => m.set(label, [...(m.get(label) ?? []), p]);
  for (const file of files) {
    const result = readResult(file, 'cameras');
    const label = runLabel(result);
    for (const row of result.rows) {
      // a run whose simulator could not bring every stream up measures the harness, not the agent
      if (row.online !== row.cameras) continue;
      add(cpu, label, [row.cameras, row.agentCpuPct / row.cameras]);
      add(dropped, label, [row.cameras, row.droppedPerS]);
      if (Number.isFinite(row.latencyP95Ms)) add(p95, label, [row.cameras, row.latencyP95Ms / 1000]);
    }
  }
  const series = (m: Map<string, Array<[number, number]>>): Series[] => [...m].map(([label, points]) => ({ label, points }));
  return {
    'cameras-cpu': {
      title: 'Agent CPU per camera (agent + its ffmpeg)',
      xLabel: 'cameras (640x360, 4 fps analysis)',
      yLabel: '% of one core per camera',
      series: series(cpu),
      log2x: true,
    },
    'cameras-latency': {
      title: 'Alert latency p95, onset sent -> MQTT',
      xLabel: 'cameras',
      yLabel: 'seconds',
      series: series(p95),
      target: { y: 1.5, label: 'target 1.5 s' },
      log2x: true,
    },
    'cameras-dropped': {
      title: 'Dropped frames (latest frame wins)',
      xLabel: 'cameras',
      yLabel: 'frames per second, all cameras',
      series: series(dropped),
      log2x: true,
    },
  };
}

function inferenceChart(files: string[]): LineChart {
  const series: Series[] = [];
  for (const file of files) {
    const result = readResult(file, 'inference');
    for (const { graph, rows } of result.graphs) {
      const name = `${result.model}${graph === 'streaming' ? ' streaming' : ''}`;
      const colour = series.length / 2;
      series.push({ label: `${name}, agent`, points: rows.map((r) => [r.batch, r.agentP50Ms]), colour });
      series.push({ label: `${name}, bare`, points: rows.map((r) => [r.batch, r.bareP50Ms]), dashed: true, colour });
    }
  }
  return { title: 'Inference cost per window by batch size (one thread)', xLabel: 'windows per run (batch)', yLabel: 'ms per window', series, log2x: true };
}

async function main(): Promise<void> {
  let values;
  try {
    values = readCommandLine(process.argv.slice(2), { out: { type: 'string' }, cameras: { type: 'string' }, inference: { type: 'string' } }, USAGE).values;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const out = resolve(values.out ?? join('docs', 'img'));
  const cameras = list(values.cameras);
  const inference = list(values.inference);
  if (!cameras.length && !inference.length) {
    console.error(USAGE);
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  const charts: Record<string, LineChart> = {
    ...(cameras.length ? cameraCharts(cameras) : {}),
    ...(inference.length ? { 'inference-batch': inferenceChart(inference) } : {}),
  };
  for (const [name, chart] of Object.entries(charts)) {
    if (!chart.series.some((series) => series.points.length)) {
      console.log(`${name}: skipped, no run had figures for it (e.g. no alert within the measured seconds)`);
      continue;
    }
    const svg = join(out, `${name}.svg`);
    writeFileSync(svg, lineChartSvg(chart));
    console.log(await svgToPng(svg));
    rmSync(svg);
  }
}

main().catch((err: Error) => {
  console.error(`bench:plot: ${err.message}`);
  process.exit(1);
});
