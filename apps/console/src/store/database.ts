import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;
export const DATABASE = Symbol('CONSOLE_DATABASE');

const MIGRATIONS: string[] = [
  `CREATE TABLE events (
     id TEXT PRIMARY KEY,
     site TEXT NOT NULL,
     camera_id TEXT NOT NULL,
     camera_name TEXT NOT NULL,
     camera_location TEXT,
     kind TEXT NOT NULL,
     label TEXT NOT NULL,
     state TEXT NOT NULL,
     started_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     ended_at TEXT,
     score REAL NOT NULL,
     peak_score REAL NOT NULL,
     threshold REAL NOT NULL,
     explanation TEXT,
     explanation_source TEXT,
     model TEXT NOT NULL,
     seq INTEGER NOT NULL,
     received_at TEXT NOT NULL,
     acknowledged_at TEXT,
     acknowledged_by TEXT,
     ack_note TEXT
   );
   CREATE INDEX events_started ON events(started_at DESC);
   CREATE TABLE event_messages (
     event_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     type TEXT NOT NULL,
     payload TEXT NOT NULL,
     received_at TEXT NOT NULL,
     PRIMARY KEY (event_id, seq, type)
   );`,
];

export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (err) {
    throw new Error(`Cannot open the console database "${path}": ${(err as Error).message}; check storage.path and that the folder is writable`);
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
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
