import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

const MIGRATIONS: string[] = [
  `CREATE TABLE events (
     id TEXT PRIMARY KEY,
     camera_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     label TEXT NOT NULL,
     started_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     ended_at TEXT,
     score REAL NOT NULL,
     peak_score REAL NOT NULL,
     threshold REAL NOT NULL,
     seq INTEGER NOT NULL DEFAULT 0,
     explanation TEXT,
     explanation_source TEXT
   );
   CREATE INDEX events_camera_kind ON events(camera_id, kind, started_at);
   CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     event_id TEXT,
     topic TEXT NOT NULL,
     payload TEXT NOT NULL,
     qos INTEGER NOT NULL,
     retain INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     sent_at TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     last_error TEXT
   );
   CREATE INDEX outbox_unsent ON outbox(id) WHERE sent_at IS NULL;`,
];

/**
 * Opens (creating if needed) the agent's SQLite file in WAL mode and brings its schema up to date.
 * `synchronous = FULL` because an alarm acknowledged by SQLite must survive a power cut, not just a crash.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (err) {
    throw new Error(`Cannot open the event database "${path}": ${(err as Error).message}; check storage.path and that the folder is writable`);
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}
