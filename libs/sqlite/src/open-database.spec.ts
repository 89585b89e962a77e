import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './open-database';

describe(openDatabase.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sqlite-'));
  const migrations = ['CREATE TABLE a (x INTEGER)', 'ALTER TABLE a ADD COLUMN y TEXT'];

  it('should create folders, use WAL, bound the page cache and run each migration once', () => {
    const path = join(dir, 'nested', 'one.db');
    const db = openDatabase(path, { purpose: 'test database', migrations, synchronous: 'FULL', cacheMegabytes: 2 });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.pragma('cache_size', { simple: true })).toBe(-2048);
    db.prepare('INSERT INTO a (x, y) VALUES (1, ?)').run('kept');
    db.close();
    const again = openDatabase(path, { purpose: 'test database', migrations, synchronous: 'FULL', cacheMegabytes: 2 });
    expect(again.prepare('SELECT y FROM a').get()).toEqual({ y: 'kept' });
    again.close();
  });

  it('should refuse a file from a newer release and explain', () => {
    const path = join(dir, 'newer.db');
    openDatabase(path, { purpose: 'test database', migrations, synchronous: 'NORMAL', cacheMegabytes: 2 }).close();
    expect(() => openDatabase(path, { purpose: 'test database', migrations: migrations.slice(0, 1), synchronous: 'NORMAL', cacheMegabytes: 2 })).toThrow(
      /schema version 2, newer than this release knows \(1\)/,
    );
  });

  it('should name the file and the fix when it cannot be opened', () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    expect(() => openDatabase(join(blocker, 'x.db'), { purpose: 'event database', migrations, synchronous: 'FULL', cacheMegabytes: 2 })).toThrow(
      /Cannot open the event database ".*file\/x\.db": .*check storage\.path/,
    );
  });
});
