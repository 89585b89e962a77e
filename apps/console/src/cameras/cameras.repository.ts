import type { ConsoleCamera } from './camera.schemas';
import type { Db } from '../storage/database';

export type { ConsoleCamera };

/** The cameras of every site as their agents report them on `<prefix>/<site>/<camera>/state`. */
export class CamerasRepository {
  constructor(private readonly db: Db) {}

  upsert(c: Omit<ConsoleCamera, 'lastSeenAt'>): void {
    this.db
      .prepare(
        `INSERT INTO cameras (site, camera_id, name, location, state, online, reconnects, fps, last_error, live_url, snapshot_url, updated_at, last_seen_at)
         VALUES (@site, @id, @name, @location, @state, @online, @reconnects, @fps, @lastError, @live, @snapshot, @updatedAt, CASE WHEN @online = 1 THEN @updatedAt END)
         ON CONFLICT(site, camera_id) DO UPDATE SET name = excluded.name, location = excluded.location, state = excluded.state,
           online = excluded.online, reconnects = excluded.reconnects, fps = excluded.fps, last_error = excluded.last_error, live_url = excluded.live_url,
           snapshot_url = excluded.snapshot_url, updated_at = excluded.updated_at,
           last_seen_at = CASE WHEN excluded.online = 1 THEN excluded.updated_at ELSE cameras.last_seen_at END`,
      )
      .run({ ...c, online: c.online ? 1 : 0 });
  }

  /** A site's agent went away: its cameras are no longer watched. */
  markSiteOffline(site: string, at: string): void {
    this.db.prepare("UPDATE cameras SET online = 0, state = 'offline', updated_at = ? WHERE site = ?").run(at, site);
  }

  list(): ConsoleCamera[] {
    return (this.db.prepare('SELECT * FROM cameras ORDER BY site, name').all() as Row[]).map(toCamera);
  }

  get(site: string, id: string): ConsoleCamera | undefined {
    const row = this.db.prepare('SELECT * FROM cameras WHERE site = ? AND camera_id = ?').get(site, id) as Row | undefined;
    return row && toCamera(row);
  }
}

type Row = Record<string, unknown>;

function toCamera(r: Row): ConsoleCamera {
  return {
    site: r.site as string,
    id: r.camera_id as string,
    name: r.name as string,
    location: (r.location as string) ?? null,
    state: r.state as string,
    online: r.online === 1,
    reconnects: r.reconnects as number,
    fps: (r.fps as number) ?? null,
    lastError: (r.last_error as string) ?? null,
    live: r.live_url ? `/api/media/cameras/${encodeURIComponent(r.site as string)}/${encodeURIComponent(r.camera_id as string)}/live.mjpeg` : null,
    snapshot: r.snapshot_url ? `/api/media/cameras/${encodeURIComponent(r.site as string)}/${encodeURIComponent(r.camera_id as string)}/snapshot.jpg` : null,
    updatedAt: r.updated_at as string,
    lastSeenAt: (r.last_seen_at as string) ?? null,
  };
}
