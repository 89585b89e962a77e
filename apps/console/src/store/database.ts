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
];

export function openDatabase(path: string): Db {
  return openSqlite(path, { purpose: 'console database', migrations: MIGRATIONS, synchronous: 'NORMAL' });
}
