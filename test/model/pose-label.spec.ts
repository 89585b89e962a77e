import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureClip } from '../support/clips';
import { DIST, start } from '../support/processes';

/** The recipe's labeller: every frame of a clip set through the pose model as the agent runs it. */
describe('pose labelling CLI', () => {
  jest.setTimeout(120_000);

  it('should write 17 keypoints per frame with how they were taken, and resume without labelling again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-pose-label-'));
    writeFileSync(join(dir, 'manifest.tsv'), ['file\tclass\tsplit\tevent_span_s', `${await fixtureClip('fall')}\tfall\ttrain\t5.1-6.1`].join('\n') + '\n');
    const out = join(dir, 'keypoints.json');
    const run = start('node', [join(DIST, 'scripts', 'pose-label.js'), dir, '--out', out, '--picture', '384', '--tracking', 'crop', '--threads', '1']);
    expect(await run.exited).toBe(0);
    const labels = JSON.parse(readFileSync(out, 'utf8'));
    expect(labels).toMatchObject({ model: 'movenet-lightning', fps: 4, size: 192, picture: 384, tracking: 'crop' });
    const [clip] = Object.values(labels.clips) as Array<{ frames: number; keypoints: number[] }>;
    expect(clip.frames).toBe(48); // 12 s at 4 fps
    expect(clip.keypoints).toHaveLength(48 * 17 * 3);
    expect(clip.keypoints.every((v) => v >= -1 && v <= 2)).toBe(true);
    // the figure is found: somewhere in the clip most keypoints are confident
    const confident = (f: number) => Array.from({ length: 17 }, (_, k) => clip.keypoints[f * 51 + k * 3 + 2]).filter((s) => s > 0.3).length;
    expect(Math.max(...Array.from({ length: 48 }, (_, f) => confident(f)))).toBeGreaterThanOrEqual(10);

    const again = start('node', [join(DIST, 'scripts', 'pose-label.js'), dir, '--out', out, '--picture', '384', '--tracking', 'crop']);
    expect(await again.exited).toBe(0);
    expect(again.output()).toMatch(/pose-label \[1\/1\] 0 frames/);

    const bad = start('node', [join(DIST, 'scripts', 'pose-label.js'), dir, '--out', out, '--tracking', 'follow']);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/--tracking must be crop or none, got "follow"/);
  });
});
