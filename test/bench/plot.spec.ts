import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, start } from '../support/processes';

/** What `npm run bench:cameras` and `bench:inference` print (abridged from real runs). */
const CAMERAS = `cameras per agent: 640x360 H.264 RTSP cameras (GStreamer, looping fall-640x360.mp4: 12 s, fall onset at 5.10 s), 4 fps analysis
machine: AMD EPYC x2, node v20.20.2; model.card: builtin-stream, model.hop: 1
cameras | agent CPU % (of one core) | CPU %/camera | camera simulator CPU % | peak RSS MB | fps/camera (target 4) | cameras online | windows/s | dropped frames/s | alerts after an onset | other fall alerts | latency p50 ms | p95 ms | after decision p50 ms | p95 ms
1 | 6 | 6.3 | 2 | 243 | 4.00 | 1/1 | 4.0 | 0.00 | 2 | 2 | 1411 | 1411 | 6 | 6
16 | 70 | 4.4 | 18 | 1350 | 4.00 | 16/16 | 64.1 | 0.00 | 17 | 32 | 1419 | 1453 | 16 | 44

Baseline on the same cameras: plain ffmpeg decode
cameras | agent CPU % | bare CPU % | ratio agent / bare | agent windows/s | bare windows/s | bare peak RSS MB
1 | 6 | 7 | 0.89 | 4.0 | 4.0 | 225
`;
const INFERENCE = `model vigil-vit-tiny: 8x96x96, 200 interleaved runs after 10 warm-ups, intraOpNumThreads=1

(1) joint window graph
batch | bare onnxruntime p50 ms/window | vigil, frames normalised once (agent) p50 ms/window | ratio | vigil, every frame every window p50 ms/window | ratio | agent path p95 ms/batch
    1 |                           5.66 |                                                 6.15 | 1.086 |                                           6.65 | 1.173 | 7.8
    8 |                           5.42 |                                                 5.83 | 1.075 |                                           6.37 | 1.174 | 60.7
`;

describe('bench:plot', () => {
  jest.setTimeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-plot-'));

  it('should chart the tables the benches print, one series per model and hop, as PNGs', async () => {
    writeFileSync(join(dir, 'cameras.log'), CAMERAS);
    writeFileSync(join(dir, 'inference.log'), INFERENCE);
    const out = join(dir, 'img');
    const run = start('node', [join(DIST, 'bench', 'plot.js'), '--out', out, '--cameras', join(dir, 'cameras.log'), '--inference', join(dir, 'inference.log')]);
    expect(await run.exited).toBe(0);
    for (const name of ['cameras-cpu', 'cameras-latency', 'cameras-dropped', 'inference-batch']) {
      const png = readFileSync(join(out, `${name}.png`));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(5000);
    }
  });

  it('should say which file is not bench output', async () => {
    writeFileSync(join(dir, 'other.log'), 'nothing to see here\n');
    const run = start('node', [join(DIST, 'bench', 'plot.js'), '--out', join(dir, 'x'), '--cameras', join(dir, 'other.log')]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/other\.log: no cameras table \(is it the output of npm run bench:cameras\?\)/);
  });
});
