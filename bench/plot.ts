/**
 * Charts for docs/benchmarks.md from the tables the benches printed (save their output, then plot it):
 *
 *   npm run bench:cameras -- --cameras 1,4,8,16 > cameras-window.log
 *   npm run bench:plot -- --out docs/img --cameras cameras-window.log,cameras-stream.log --inference inference.log
 *
 * Cameras logs with the same model and hop are one series; rows where not every camera came online are left out
 * (the simulator, not the agent, was the limit). Writes PNGs (rasterised by ffmpeg) and names them.
 */
import { cliOption } from '@vigil/config';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { svgToPng } from '../scripts/svg-to-png';
import { lineChartSvg, printedTables, type LineChart, type Series } from './charts';

const list = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : []);

/** "builtin" / "builtin-stream" and the hop of a cameras run, from the line the bench prints first. */
function runLabel(text: string): string {
  const card = /model\.card: ([^,;\s]+)/.exec(text)?.[1] ?? 'builtin';
  const hop = /model\.hop: (\d+)/.exec(text)?.[1];
  const model = card === 'builtin' ? 'window model' : card === 'builtin-stream' ? 'streaming student' : card;
  return `${model}, ${hop ? `hop ${hop}` : 'card hop'}`;
}

function column(columns: string[], name: string, file: string): number {
  const i = columns.indexOf(name);
  if (i < 0) throw new Error(`${file}: no "${name}" column in ${columns.join(' | ')}`);
  return i;
}

function cameraCharts(files: string[]): Record<string, LineChart> {
  const cpu = new Map<string, Array<[number, number]>>();
  const p95 = new Map<string, Array<[number, number]>>();
  const dropped = new Map<string, Array<[number, number]>>();
  const add = (m: Map<string, Array<[number, number]>>, label: string, p: [number, number]) => m.set(label, [...(m.get(label) ?? []), p]);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const label = runLabel(text);
    const table = printedTables(text).find((t) => t.columns.includes('CPU %/camera'));
    if (!table) throw new Error(`${file}: no cameras table (is it the output of npm run bench:cameras?)`);
    const c = table.columns;
    const [n, perCamera, drops, p50] = [
      column(c, 'cameras', file),
      column(c, 'CPU %/camera', file),
      column(c, 'dropped frames/s', file),
      column(c, 'latency p50 ms', file),
    ];
    const online = c.indexOf('cameras online');
    for (const row of table.rows) {
      // a run whose simulator could not bring every stream up measures the harness, not the agent
      const [up, of] = online >= 0 ? row[online].split('/') : [];
      if (up !== of) continue;
      const cameras = Number(row[n]);
      add(cpu, label, [cameras, Number(row[perCamera])]);
      add(dropped, label, [cameras, Number(row[drops])]);
      if (Number.isFinite(Number(row[p50 + 1]))) add(p95, label, [cameras, Number(row[p50 + 1]) / 1000]);
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
    const text = readFileSync(file, 'utf8');
    const model = /^model (\S+):/m.exec(text)?.[1] ?? file;
    for (const table of printedTables(text)) {
      if (table.columns[0] !== 'batch') continue;
      const c = table.columns;
      const streaming = c.includes('vigil streaming scorers p50 ms/window');
      const agent = column(c, streaming ? 'vigil streaming scorers p50 ms/window' : 'vigil, frames normalised once (agent) p50 ms/window', file);
      const bare = column(c, 'bare onnxruntime p50 ms/window', file);
      const name = `${model}${streaming ? ' streaming' : ''}`;
      const colour = series.length / 2;
      series.push({ label: `${name}, agent`, points: table.rows.map((r) => [Number(r[0]), Number(r[agent])]), colour });
      series.push({ label: `${name}, bare`, points: table.rows.map((r) => [Number(r[0]), Number(r[bare])]), dashed: true, colour });
    }
  }
  return { title: 'Inference cost per window by batch size (one thread)', xLabel: 'windows per run (batch)', yLabel: 'ms per window', series, log2x: true };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const out = resolve(cliOption(argv, '--out') ?? join('docs', 'img'));
  const cameras = list(cliOption(argv, '--cameras'));
  const inference = list(cliOption(argv, '--inference'));
  if (!cameras.length && !inference.length) {
    console.error('usage: npm run bench:plot -- [--out docs/img] --cameras a.log,b.log --inference c.log  (saved output of the benches)');
    process.exit(2);
  }
  mkdirSync(out, { recursive: true });
  const charts: Record<string, LineChart> = {
    ...(cameras.length ? cameraCharts(cameras) : {}),
    ...(inference.length ? { 'inference-batch': inferenceChart(inference) } : {}),
  };
  for (const [name, chart] of Object.entries(charts)) {
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
