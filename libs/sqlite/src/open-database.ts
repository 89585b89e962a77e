import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

export interface OpenOptions {
  /** What the file is for, in error messages ("event database"). */
  purpose: string;
  /** Schema steps; step i runs once, when PRAGMA user_version is i. Never edit a released step, append one. */
  migrations: readonly string[];
  /** FULL when a committed row must survive a power cut (alarms), NORMAL when a crash is enough. */
  synchronous: 'FULL' | 'NORMAL';
  /**
   * SQLite's page cache for this connection, in MB. It fills as the file grows and is then kept, so it is part of
   * the process's steady memory (better-sqlite3 builds with 16 MB, which an agent takes an hour or more to reach).
   */
  cacheMegabytes: number;
}

/** Opens (creating folders and file if needed) a SQLite file in WAL mode and migrates it to the latest schema. */
export function openDatabase(path: string, options: OpenOptions): Db {
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (err) {
    throw new Error(`Cannot open the ${options.purpose} "${path}": ${(err as Error).message}; check storage.path and that the folder is writable`);
  }
  try {
    db.pragma('journal_mode = WAL');
  } catch (err) {
    db.close();
    throw new Error(
      `Cannot open the ${options.purpose} "${path}": ${(err as Error).message}; its folder must be writable (SQLite keeps -wal and -shm files beside it): fix the permissions or set storage.path to a writable folder`,
    );
  }
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`cache_size = -${Math.round(options.cacheMegabytes * 1024)}`);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > options.migrations.length) {
    db.close();
    throw new Error(
      `The ${options.purpose} "${path}" has schema version ${version}, newer than this release knows (${options.migrations.length}); run a newer Vigil or restore a backup`,
    );
  }
  for (let v = version; v < options.migrations.length; v++) {
    db.transaction(() => {
      db.exec(options.migrations[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}
