import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureClipInfo } from '../support/clips';
import { DIST, start } from '../support/processes';
import { writeSiteConfig } from '../support/site-config';

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
      [
        'file\tclass\tsplit\tevent_span_s\tsource_repo\tdataset',
        `${fall.file}\tfall\ttest\t${onset}-${onset + 1}\tvigil/fall-scene\tsynthetic`,
        `${normal.file}\tnormal\ttest\tn/a\tvigil/normal-scene\tsynthetic`,
      ].join('\n') + '\n',
    );
  });

  it('should report per-class metrics, latency from the onset, false alarms and plots', async () => {
    // the fixture's rendered figure: falls from the video model (the pose stage is the default; see below)
    const run = start('node', [join(DIST, 'scripts', 'eval.js'), join(dir, 'manifest.tsv'), '--card', 'builtin-stream', '--fall', 'video', '--out', out]);
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
    expect(report.averagePrecision.fall).toBeGreaterThan(0);
    expect(report.averagePrecision.fire).toBeNull(); // no fire window in this set
    expect(report.cameraHours.all.hours).toBeCloseTo(report.falseAlarms.hours, 4);
    expect(report.groups.map((g: { group: string }) => g.group)).toEqual(['vigil/fall-scene', 'vigil/normal-scene']);
    expect(report.groups[0].detected.fall).toEqual({ clips: 1, detected: 1 });
    expect(report.sourceRecall.fall).toBe(1);
    expect(report.perClip[0].windows[0]).toEqual({ t: expect.any(Number), fall: expect.any(Number), fire: expect.any(Number), smoke: expect.any(Number) });
    const md = readFileSync(join(out, 'eval.md'), 'utf8');
    expect(md).toMatch(/\| fall \| 1 \| 1 \| 1\.000 \|/);
    expect(md).toContain('![precision-recall](pr-curves.png)');
    expect(md).toContain('| vigil/fall-scene | 1 |');
    expect(md).toContain('## Where it fails');
    for (const png of ['pr-curves.png', 'timelines.png']) {
      const bytes = readFileSync(join(out, png));
      expect(bytes.subarray(1, 4).toString()).toBe('PNG');
      expect(bytes.length).toBeGreaterThan(5000);
    }
    expect(run.output()).toMatch(/\[1\/2\] .*fall-320x180\.mp4 \(fall from [\d.]+ s, [\d.]+ s\): fall at [\d.]+ s/);
  });

  it("should take the model and the event rule from a site file, so a site's settings can be tried on footage", async () => {
    const site = join(dir, 'site.yaml');
    writeSiteConfig(site, {
      site: { id: 'lobby' },
      cameras: [{ id: 'door', url: 'rtsp://127.0.0.1/door' }],
      model: { card: 'builtin-stream', hop: 1, fall: 'video' },
      events: { fall: { minWindows: 3 } },
    });
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

  it('should choose thresholds for a false-alarm budget, group by dataset, and write the thresholds into a card', async () => {
    const card = join(dir, 'card.json');
    writeFileSync(card, readFileSync(join(DIST, 'libs', 'model', 'weights', 'vigil-stream-tiny.card.json')));
    const run = start('node', [
      join(DIST, 'scripts', 'eval.js'),
      join(dir, 'manifest.tsv'),
      '--card',
      'builtin-stream',
      '--fall',
      'video',
      '--by',
      'dataset',
      '--budget',
      '0',
      '--write-card',
      card,
      '--out',
      join(dir, 'budget'),
    ]);
    expect(await run.exited).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'budget', 'eval.json'), 'utf8'));
    expect(report.groups.map((g: { group: string }) => g.group)).toEqual(['synthetic']);
    const fall = report.calibration.choices.find((c: { kind: string }) => c.kind === 'fall');
    // a budget of 0: no false alarm at the chosen threshold, and no higher threshold finds more
    expect(fall.met).toBe(true);
    expect(fall.chosen.falseAlarms).toBe(0);
    const better = fall.sweep.filter(
      (p: { threshold: number; detected: number; falseAlarms: number }) => p.falseAlarms === 0 && p.detected > fall.chosen.detected,
    );
    expect(better).toEqual([]);
    expect(report.calibration.summary.events.fall.falseAlarms).toBe(0);
    const written = JSON.parse(readFileSync(card, 'utf8'));
    expect(written.thresholds.fall).toBe(fall.chosen.threshold);
    expect(written.calibration).toMatchObject({ budgetPerCameraHour: 0, thresholds: { fall: fall.chosen.threshold } });
    expect(readFileSync(join(dir, 'budget', 'eval.md'), 'utf8')).toMatch(/## Thresholds for at most 0 false alarms per camera-hour/);

    // by default falls come from the pose stage: a video card then takes fire and smoke thresholds only
    const before = JSON.parse(readFileSync(card, 'utf8')).thresholds.fall;
    const pose = start('node', [
      join(DIST, 'scripts', 'eval.js'),
      join(dir, 'manifest.tsv'),
      '--card',
      'builtin-stream',
      '--budget',
      '0',
      '--write-card',
      card,
      '--out',
      join(dir, 'pose'),
    ]);
    expect(await pose.exited).toBe(0);
    expect(pose.output()).toMatch(/fall scores from the pose stage: vigil-pose-fall over 8 poses/);
    expect(JSON.parse(readFileSync(join(dir, 'pose', 'eval.json'), 'utf8')).model).toBe('vigil-stream-tiny + vigil-pose-fall (fall: pose)');
    const afterPose = JSON.parse(readFileSync(card, 'utf8'));
    expect(afterPose.thresholds.fall).toBe(before);
    expect(Object.keys(afterPose.calibration.thresholds).sort()).toEqual(['fire', 'smoke']);

    const bad = start('node', [join(DIST, 'scripts', 'eval.js'), join(dir, 'manifest.tsv'), '--by', 'camera']);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/--by must be source or dataset, got "camera"/);
  });

  it('should score tiles when asked, record them in a card written from them, and score that card with tiles by default', async () => {
    const weights = join(DIST, 'libs', 'model', 'weights');
    const shipped = JSON.parse(readFileSync(join(weights, 'vigil-vit-tiny.card.json'), 'utf8'));
    expect(shipped.views ?? 'whole').toBe('whole');
    const card = join(dir, 'tiles.card.json');
    writeFileSync(card, JSON.stringify({ ...shipped, file: join(weights, shipped.file) }));
    const eval_ = (...args: string[]) => start('node', [join(DIST, 'scripts', 'eval.js'), join(dir, 'manifest.tsv'), '--fall', 'video', ...args]);
    const tiles = eval_('--card', 'builtin', '--views', 'tiles', '--budget', '1', '--write-card', card, '--out', join(dir, 'tiles'));
    expect(await tiles.exited).toBe(0);
    expect(tiles.output()).toMatch(/views: whole \+ 4 tiles from frames decoded at twice the size/);
    const report = JSON.parse(readFileSync(join(dir, 'tiles', 'eval.json'), 'utf8'));
    expect(report.model).toBe('vigil-vit-tiny (views: whole + 4 tiles)');
    const written = JSON.parse(readFileSync(card, 'utf8'));
    expect(written.views).toBe('tiles');
    expect(written.calibration.views).toBe('tiles');

    const whole = eval_('--card', 'builtin', '--views', 'whole', '--confirm', 'off', '--out', join(dir, 'whole'));
    const again = eval_('--card', card, '--out', join(dir, 'card-default'));
    expect(await whole.exited).toBe(0);
    expect(await again.exited).toBe(0);
    expect(again.output()).toMatch(/views: whole \+ 4 tiles/);
    const wholeReport = JSON.parse(readFileSync(join(dir, 'whole', 'eval.json'), 'utf8'));
    expect(wholeReport.model).toBe('vigil-vit-tiny');

    const bad = eval_('--views', 'grid');
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/--views must be whole or tiles, got "grid"/);
  });

  it('should score fire and smoke as a cascade by default, count what each stage saw, and write its gate and thresholds', async () => {
    const weights = join(DIST, 'libs', 'model', 'weights');
    const shipped = JSON.parse(readFileSync(join(weights, 'vigil-vit-tiny-tiles.card.json'), 'utf8'));
    const card = join(dir, 'confirming.card.json');
    writeFileSync(card, JSON.stringify({ ...shipped, file: join(weights, shipped.file) }));
    const eval_ = (...args: string[]) => start('node', [join(DIST, 'scripts', 'eval.js'), join(dir, 'manifest.tsv'), '--fall', 'video', ...args]);

    const byDefault = eval_('--out', join(dir, 'cascade-default'));
    expect(await byDefault.exited).toBe(0);
    const gate = shipped.confirming.gate;
    expect(JSON.parse(readFileSync(join(dir, 'cascade-default', 'eval.json'), 'utf8')).model).toBe(
      `vigil-vit-tiny+vigil-vit-tiny-tiles (cascade, gate ${gate})`,
    );

    // gate 0: every window goes to the second model, so the counts are known
    const all = eval_('--confirm', card, '--gate', '0', '--budget', '1', '--write-card', card, '--out', join(dir, 'cascade'));
    expect(await all.exited).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'cascade', 'eval.json'), 'utf8'));
    const windows = report.perClip.reduce((n: number, c: { windows: unknown[] }) => n + c.windows.length, 0);
    expect(report.cascade.byClass.fall).toEqual({ windows: report.perClip[0].windows.length, confirmed: report.perClip[0].windows.length });
    expect(report.cascade.byClass.fall.windows + report.cascade.byClass.normal.windows).toBe(windows);
    expect(readFileSync(join(dir, 'cascade', 'eval.md'), 'utf8')).toMatch(
      /\*\*Cascade\*\*: windows vigil-vit-tiny-tiles confirmed .* fall \d+ of \d+ \(100\.0 %\), normal \d+ of \d+ \(100\.0 %\)/,
    );
    expect(all.output()).toMatch(/wrote the cascade's gate 0 and thresholds fire [\d.]+, smoke [\d.]+ into .*confirming\.card\.json/);
    const written = JSON.parse(readFileSync(card, 'utf8'));
    const chosen = Object.fromEntries(report.calibration.choices.map((c: { kind: string; chosen: { threshold: number } }) => [c.kind, c.chosen.threshold]));
    expect(written.confirming).toMatchObject({ gate: 0, thresholds: { fire: chosen.fire, smoke: chosen.smoke } });
    // the tiles card's own thresholds (for views: tiles) are not the cascade's to change
    expect(written.thresholds).toEqual(shipped.thresholds);

    // the card's gate is the default for that card
    const again = eval_('--confirm', card, '--out', join(dir, 'cascade-again'));
    expect(await again.exited).toBe(0);
    expect(again.output()).toMatch(/at fire or smoke >= 0 vigil-vit-tiny-tiles confirms/);

    const bad = eval_('--confirm', card, '--gate', '1.5');
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/--gate is a score from 0 to 0\.99, got "1\.5"/);
  });

  it('should say what is wrong with a missing manifest and exit non-zero', async () => {
    const run = start('node', [join(DIST, 'scripts', 'eval.js'), join(dir, 'nowhere')]);
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(/eval: No manifest at .*nowhere.* pass a clips folder holding manifest.tsv/);
  });
});
