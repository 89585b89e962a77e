import { existsSync, mkdtempSync, readdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaRepository } from './media.repository';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-28T12:00:00Z');

/** A media folder with one file per entry, its modification time `daysAgo` before NOW. */
function folder(files: Array<{ camera: string; event: string; daysAgo: number; bytes: number }>): MediaRepository {
  const repo = new MediaRepository(mkdtempSync(join(tmpdir(), 'vigil-media-')));
  for (const f of files) {
    const at = NOW - f.daysAgo * DAY;
    const path = repo.relativePath(f.camera, f.event, new Date(at).toISOString(), 'jpg');
    repo.writeFile(path, Buffer.alloc(f.bytes));
    utimesSync(repo.absolute(path), at / 1000, at / 1000);
  }
  return repo;
}

const names = (repo: MediaRepository, camera: string) =>
  readdirSync(join(repo.dir, camera), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();

describe(MediaRepository.name, () => {
  it('should delete files past the retention and the day folders they leave empty', async () => {
    const repo = folder([
      { camera: 'lobby', event: 'old', daysAgo: 40, bytes: 10 },
      { camera: 'lobby', event: 'recent', daysAgo: 2, bytes: 10 },
      { camera: 'yard', event: 'older', daysAgo: 31, bytes: 10 },
    ]);
    const r = await repo.prune(30 * DAY, 1e9, NOW);
    expect(r).toEqual({ deleted: 2, freedBytes: 20, keptBytes: 10 });
    expect(names(repo, 'lobby')).toEqual(['recent.jpg']);
    expect(readdirSync(join(repo.dir, 'lobby'))).toEqual([new Date(NOW - 2 * DAY).toISOString().slice(0, 10)]);
    expect(readdirSync(join(repo.dir, 'yard'))).toEqual([]);
  });

  it('should delete the oldest files until the folder fits the budget', async () => {
    const repo = folder([
      { camera: 'lobby', event: 'a', daysAgo: 3, bytes: 400 },
      { camera: 'lobby', event: 'b', daysAgo: 2, bytes: 400 },
      { camera: 'yard', event: 'c', daysAgo: 1, bytes: 400 },
    ]);
    const r = await repo.prune(30 * DAY, 900, NOW);
    expect(r).toEqual({ deleted: 1, freedBytes: 400, keptBytes: 800 });
    expect(names(repo, 'lobby')).toEqual(['b.jpg']);
    expect(names(repo, 'yard')).toEqual(['c.jpg']);
  });

  it('should find nothing to prune before the first event', async () => {
    const repo = new MediaRepository(join(mkdtempSync(join(tmpdir(), 'vigil-media-')), 'not-yet'));
    await expect(repo.prune(DAY, 1e9, NOW)).resolves.toEqual({ deleted: 0, freedBytes: 0, keptBytes: 0 });
    expect(existsSync(repo.dir)).toBe(false);
  });

  it('should let the event loop run while it walks a large folder', async () => {
    const repo = folder(Array.from({ length: 2000 }, (_, i) => ({ camera: `cam${i % 4}`, event: `e${i}`, daysAgo: 1, bytes: 1 })));
    let turns = 0;
    let done = false;
    const turn = () => {
      turns++;
      if (!done) setImmediate(turn);
    };
    setImmediate(turn);
    const r = await repo.prune(30 * DAY, 1e9, NOW);
    done = true;
    expect(r.keptBytes).toBe(2000);
    expect(turns).toBeGreaterThan(10);
  });
});
