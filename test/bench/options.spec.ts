import { join } from 'node:path';
import { DIST, start } from '../support/processes';

/** A misspelt bench flag must not run for minutes on defaults and print figures for a run nobody asked for. */
describe('bench command lines', () => {
  it.each([
    ['cameras.bench.js', ['--camera', '16'], /Unknown option '--camera'[\s\S]*Usage: npm run bench:cameras/],
    ['cameras.bench.js', ['--cameras', '4,x'], /--cameras must be a number >= 0, got "x"[\s\S]*Usage: npm run bench:cameras/],
    ['ingest.bench.js', ['--seconds'], /Option '--seconds <value>' argument missing[\s\S]*Usage: npm run bench:ingest/],
    ['soak.js', ['--minutes=-5'], /--minutes must be a number >= 0, got "-5"[\s\S]*Usage: npm run soak/],
    ['inference.bench.js', ['--run', '5'], /Unknown option '--run'[\s\S]*Usage: npm run bench:inference/],
    ['console.bench.js', ['--events', 'many'], /--events must be a number >= 0, got "many"/],
    ['pose.bench.js', ['extra'], /Unexpected argument 'extra'[\s\S]*Usage: npm run bench:pose/],
    ['sqlite-cache.js', ['--cache', '2'], /Unknown option '--cache'[\s\S]*Usage: npm run bench:sqlite-cache/],
  ])('%s %j should exit 2 with the usage before doing any work', async (script, args, message) => {
    const run = start('node', [join(DIST, 'bench', script), ...args]);
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(message);
  });
});
