import { openDatabase as openSqlite, type Db } from '@vigil/sqlite';

export type { Db };
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
  `ALTER TABLE events ADD COLUMN snapshot_url TEXT;
   ALTER TABLE events ADD COLUMN clip_url TEXT;`,
  `ALTER TABLE events ADD COLUMN explanation_json TEXT;`,
  `CREATE TABLE users (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     username TEXT NOT NULL UNIQUE COLLATE NOCASE,
     role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
     password_hash TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL
   );
   CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     username TEXT,
     action TEXT NOT NULL,
     target TEXT,
     detail TEXT
   );
   ALTER TABLE events ADD COLUMN resolved_at TEXT;
   ALTER TABLE events ADD COLUMN resolved_by TEXT;
   ALTER TABLE events ADD COLUMN resolve_note TEXT;
   ALTER TABLE events ADD COLUMN timeline_json TEXT;
   CREATE TABLE cameras (
     site TEXT NOT NULL,
     camera_id TEXT NOT NULL,
     name TEXT NOT NULL,
     location TEXT,
     state TEXT NOT NULL,
     online INTEGER NOT NULL DEFAULT 0,
     reconnects INTEGER NOT NULL DEFAULT 0,
     fps REAL,
     last_error TEXT,
     live_url TEXT,
     snapshot_url TEXT,
     updated_at TEXT NOT NULL,
     last_seen_at TEXT,
     PRIMARY KEY (site, camera_id)
   );`,
];

/** The console pages, filters and counts over the whole history, so it keeps a larger page cache than the agent. */
export function openDatabase(path: string): Db {
  return openSqlite(path, { purpose: 'console database', migrations: MIGRATIONS, synchronous: 'NORMAL', cacheMegabytes: 16 });
}
