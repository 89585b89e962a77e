import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, start } from '../support/processes';

/** What `npm run bench:cameras -- --json` and `bench:inference -- --json` write (figures from real runs). */
const row = (cameras: number, agentCpuPct: number, online: number, latencyP95Ms: number) => ({
  cameras,
  agentCpuPct,
  simulatorCpuPct: 2,
  peakRssMb: 243,
  fpsPerCamera: 4,
  online,
  windowsPerS: 4 * cameras,
  droppedPerS: 0,
  alerts: cameras,
  otherAlerts: 0,
  latencyP50Ms: 1411,
  latencyP95Ms,
  afterDecisionP50Ms: 6,
  afterDecisionP95Ms: 6,
});
const CAMERAS = {
  bench: 'cameras',
  date: '2026-12-01T00:00:00Z',
  machine: 'AMD EPYC x2, node v20.20.2',
  model: { card: 'builtin-stream', fall: 'video', hop: 1 },
  rows: [row(1, 6, 1, 1411), row(16, 70, 16, 1453), row(48, 200, 40, 9000)],
};
const INFERENCE = {
  bench: 'inference',
  date: '2026-12-01T00:00:00Z',
  machine: 'AMD EPYC x2',
  model: 'vigil-vit-tiny',
  graphs: [
    {
      graph: 'window',
      rows: [
        { batch: 1, bareP50Ms: 5.66, agentP50Ms: 6.15 },
        { batch: 8, bareP50Ms: 5.42, agentP50Ms: 5.83 },
      ],
    },
  ],
};

describe('bench:plot', () => {
  jest.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-plot-'));

  it('should chart the JSON the benches write, one series per model and hop, as PNGs', async () => {
    writeFileSync(join(dir, 'cameras.json'), JSON.stringify(CAMERAS));
    writeFileSync(join(dir, 'inference.json'), JSON.stringify(INFERENCE));
    const out = join(dir, 'img');
    const run = start('node', [
      join(DIST, 'bench', 'plot.js'),
      '--out',
      out,
      '--cameras',
      join(dir, 'cameras.json'),
      '--inference',
      join(dir, 'inference.json'),
    ]);
    expect(await run.exited).toBe(0);
    for (const name of ['cameras-cpu', 'cameras-latency', 'cameras-dropped', 'inference-batch']) {
      const png = readFileSync(join(out, `${name}.png`));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(5000);
    }
  });

  it('should say which file is not bench JSON, and how to make it', async () => {
    writeFileSync(join(dir, 'other.log'), 'nothing to see here\n');
    const run = start('node', [join(DIST, 'bench', 'plot.js'), '--out', join(dir, 'x'), '--cameras', join(dir, 'other.log')]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/other\.log: not bench JSON; write it with npm run bench:cameras -- --json/);
    writeFileSync(join(dir, 'inference-as-cameras.json'), JSON.stringify(INFERENCE));
    const wrong = start('node', [join(DIST, 'bench', 'plot.js'), '--out', join(dir, 'x'), '--cameras', join(dir, 'inference-as-cameras.json')]);
    expect(await wrong.exited).toBe(1);
    expect(wrong.output()).toMatch(/not the JSON of npm run bench:cameras \(bench: "inference"\)/);
  });
});
