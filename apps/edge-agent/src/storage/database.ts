import { openDatabase as openSqlite, type Db } from '@vigil/sqlite';

export type { Db };

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
  `ALTER TABLE events ADD COLUMN snapshot_path TEXT;
   ALTER TABLE events ADD COLUMN clip_path TEXT;`,
  `ALTER TABLE events ADD COLUMN explanation_json TEXT;`,
  // one row rewritten to learn whether the disk takes writes again after a failure
  `CREATE TABLE storage_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL);`,
  // end-to-end delivery: an event message stays until a console acknowledges its (event_id, seq)
  `ALTER TABLE outbox ADD COLUMN seq INTEGER;
   ALTER TABLE outbox ADD COLUMN acked_at TEXT;
   ALTER TABLE outbox ADD COLUMN resend_after TEXT;
   CREATE INDEX outbox_unacked ON outbox(event_id, seq) WHERE acked_at IS NULL AND seq IS NOT NULL;
   CREATE INDEX outbox_resend ON outbox(resend_after) WHERE acked_at IS NULL AND resend_after IS NOT NULL;`,
];

/**
 * The agent's SQLite file: events and the MQTT outbox. `synchronous = FULL` because an alarm acknowledged by SQLite
 * must survive a power cut, not just a crash. The agent writes and reads back only recent rows, so a 2 MB page cache
 * is enough, and the agent's memory stops growing minutes after start instead of an hour or more.
 */
export function openDatabase(path: string): Db {
  return openSqlite(path, { purpose: 'event database', migrations: MIGRATIONS, synchronous: 'FULL', cacheMegabytes: 2 });
}
