/**
 * What SQLite's page cache costs in resident memory as an agent's database grows: one child process per cache size
 * writes event-sized rows (2.5 KB, one transaction each, as the agent's outbox does) and reads back the unsent ones,
 * and reports its main malloc heap as the file grows. Baseline in the same run: better-sqlite3's default cache.
 *
 *   npm run bench:sqlite-cache [-- --megabytes 40 --caches 16,2]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@vigil/sqlite';
import { benchOptions } from './options';
import { residentByKind } from './proc-stats';

const ROW = JSON.stringify({ schema: 'vigil.event/1', padding: 'x'.repeat(2500) });
const SCHEMA = [
  'CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL, sent_at TEXT); CREATE INDEX outbox_unsent ON outbox(id) WHERE sent_at IS NULL;',
];

/** Child: grows a fresh database to `megabytes` and prints `<file MB> <heap MB>` ten times on the way. */
function grow(cacheMegabytes: number, megabytes: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-cache-'));
  const path = join(dir, 'bench.db');
  const db = openDatabase(path, { purpose: 'bench database', migrations: SCHEMA, synchronous: 'NORMAL', cacheMegabytes });
  const insert = db.prepare('INSERT INTO outbox (payload) VALUES (?)');
  const markSent = db.prepare("UPDATE outbox SET sent_at = datetime('now') WHERE id = ?");
  const unsent = db.prepare('SELECT id, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT 50');
  const rowsPerStep = Math.ceil((megabytes * 1e6) / ROW.length / 10);
  for (let step = 1; step <= 10; step++) {
    for (let i = 0; i < rowsPerStep; i++) {
      const id = db.transaction(() => Number(insert.run(ROW).lastInsertRowid))();
      unsent.all();
      markSent.run(id);
    }
    process.stdout.write(`${(statSync(path).size / 1e6).toFixed(0)} ${residentByKind('self').mallocHeapMb.toFixed(1)}\n`);
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
}

function main(): void {
  const options = benchOptions('Usage: npm run bench:sqlite-cache [-- --megabytes 40 --caches 16,2]', {
    megabytes: { type: 'string' },
    caches: { type: 'string' },
    child: { type: 'string' },
  });
  const megabytes = options.number('megabytes', 40);
  const child = options.optionalNumber('child');
  if (child !== undefined) return grow(child, megabytes);
  const caches = options.numbers('caches', [16, 2]);
  console.log(`SQLite page cache: malloc heap MB of a process writing ${megabytes} MB of 2.5 KB outbox rows (better-sqlite3 default: 16 MB)`);
  const runs = caches.map((mb) => {
    const r = spawnSync(process.execPath, [__filename, '--child', String(mb), '--megabytes', String(megabytes)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`the ${mb} MB run failed (exit ${r.status})`);
    return r.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' ').map(Number));
  });
  console.log(`| database MB | ${caches.map((mb) => `heap MB, ${mb} MB cache`).join(' | ')} |`);
  console.log(`|---|${caches.map(() => '---').join('|')}|`);
  runs[0].forEach(([fileMb], i) => console.log(`| ${fileMb} | ${runs.map((r) => r[i][1].toFixed(1)).join(' | ')} |`));
}

main();
