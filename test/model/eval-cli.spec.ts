import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureClipInfo } from '../support/clips';
import { DIST, start } from '../support/processes';

/** `npm run eval` over the project's fall and normal fixture clips, through the agent's decode, window and rule. */
describe('evaluation CLI', () => {
  jest.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-eval-'));
  const out = join(dir, 'report');

  beforeAll(async () => {
    const fall = await fixtureClipInfo('fall');
    const normal = await fixtureClipInfo('normal');
    const onset = fall.onsets_s.fall;
    writeFileSync(
      join(dir, 'manifest.tsv'),
      ['file\tclass\tsplit\tevent_span_s', `${fall.file}\tfall\ttest\t${onset}-${onset + 1}`, `${normal.file}\tnormal\ttest\tn/a`].join('\n') + '\n',
    );
  });

  it('should report per-class metrics, latency from the onset, false alarms and plots', async () => {
    const run = start('node', [join(DIST, 'scripts', 'eval.js'), join(dir, 'manifest.tsv'), '--card', 'builtin-stream', '--out', out]);
    expect(await run.exited).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8'));
    expect(report.model).toBe('vigil-stream-tiny');
    expect(report.mode).toBe('streaming');
    expect(report.clips).toBe(2);
    expect(report.events.fall).toMatchObject({ clips: 1, detected: 1 });
    // the agent's rule needs its windows: the event comes after the onset, within a few windows
    expect(report.events.fall.latency.p50).toBeGreaterThanOrEqual(0);
    expect(report.events.fall.latency.p50).toBeLessThan(6);
    expect(report.falseAlarms.hours).toBeGreaterThan(0);
    expect(report.windows.fall.windows).toBeGreaterThan(20);
    expect(report.confusion.matrix[0][0]).toBe(1);
    expect(report.curves.fall.length).toBeGreaterThan(3);
    const md = readFileSync(join(out, 'eval.md'), 'utf8');
    expect(md).toMatch(/\| fall \| 1 \| 1 \| 1\.000 \|/);
    expect(md).toContain('![precision-recall](pr-curves.png)');
    for (const png of ['pr-curves.png', 'timelines.png']) {
      const bytes = readFileSync(join(out, png));
      expect(bytes.subarray(1, 4).toString()).toBe('PNG');
      expect(bytes.length).toBeGreaterThan(5000);
    }
    expect(run.output()).toMatch(/\[1\/2\] .*fall-320x180\.mp4 \(fall from [\d.]+ s, [\d.]+ s\): fall at [\d.]+ s/);
  });

  it("should take the model and the event rule from a site file, so a site's settings can be tried on footage", async () => {
    const site = join(dir, 'site.yaml');
    writeFileSync(site, ['site: { id: lobby }', 'cameras: [{ id: door, url: "rtsp://127.0.0.1/door" }]', 'model: { card: builtin-stream, hop: 1 }', 'events: { fall: { minWindows: 3 } }', ''].join('\n'));
    const first = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8'));
    const again = join(dir, 'hop1');
    const run = start('node', [join(DIST, 'scripts', 'eval.js'), join(dir, 'manifest.tsv'), '--config', site, '--out', again]);
    expect(await run.exited).toBe(0);
    const report = JSON.parse(readFileSync(join(again, 'eval.json'), 'utf8'));
    expect(report.model).toBe('vigil-stream-tiny');
    expect(report.rule).toMatch(/^windows every 1 frames \(0\.25 s\), 2-window average, 3 windows over the threshold open/);
    // a window per frame instead of one per card hop (2): about twice the windows on the same clips
    expect(report.windows.fall.windows).toBeGreaterThan(1.8 * first.windows.fall.windows);

    writeFileSync(site, ['site: { id: lobby }', 'cameras: [{ id: door, url: "rtsp://127.0.0.1/door" }]', 'model: { hop: 0 }', ''].join('\n'));
    const bad = start('node', [join(DIST, 'scripts', 'eval.js'), join(dir, 'manifest.tsv'), '--config', site]);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/model\.hop/);
  });

  it('should say what is wrong with a missing manifest and exit non-zero', async () => {
    const run = start('node', [join(DIST, 'scripts', 'eval.js'), join(dir, 'nowhere')]);
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(/eval: No manifest at .*nowhere.* pass a clips folder holding manifest.tsv/);
  });
});
