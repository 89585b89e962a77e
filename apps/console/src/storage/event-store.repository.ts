import type { EventMessage, Explanation } from '@vigil/contracts';
import type { ConsoleEvent } from '../events/event.schemas';
import type { Db } from './database';

export type { ConsoleEvent };

export type ApplyResult = 'new' | 'updated' | 'duplicate' | 'stale';

export interface ListQuery {
  limit: number;
  unacknowledgedOnly?: boolean;
  site?: string;
  camera?: string;
  kind?: string;
  state?: 'active' | 'ended' | 'unacknowledged' | 'acknowledged' | 'resolved';
  /** ISO times bounding startedAt. */
  since?: string;
  until?: string;
}

/**
 * The console's copy of every event. Messages are recorded by (eventId, seq, type) first, so a QoS 1 repeat
 * is recognised and ignored; an event row only ever moves forward in seq.
 */
export class EventStoreRepository {
  private readonly recordStmt;
  private readonly upsertStmt;
  private readonly getStmt;
  private readonly ackStmt;
  private readonly resolveStmt;
  private readonly headStmt;

  constructor(private readonly db: Db) {
    this.recordStmt = db.prepare('INSERT OR IGNORE INTO event_messages (event_id, seq, type, payload, received_at) VALUES (?, ?, ?, ?, ?)');
    this.upsertStmt = db.prepare(
      `INSERT INTO events (id, site, camera_id, camera_name, camera_location, kind, label, state, started_at, updated_at, ended_at,
                           score, peak_score, threshold, explanation, explanation_source, explanation_json, model, seq, received_at, snapshot_url, clip_url, timeline_json)
       VALUES (@id, @site, @cameraId, @cameraName, @cameraLocation, @kind, @label, @state, @startedAt, @updatedAt, @endedAt,
               @score, @peakScore, @threshold, @explanation, @explanationSource, @explanationJson, @model, @seq, @receivedAt, @snapshotUrl, @clipUrl, @timelineJson)
       ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, ended_at = excluded.ended_at,
         score = excluded.score, peak_score = excluded.peak_score, explanation = excluded.explanation,
         explanation_source = excluded.explanation_source, explanation_json = excluded.explanation_json, seq = excluded.seq, snapshot_url = excluded.snapshot_url,
         clip_url = excluded.clip_url, timeline_json = COALESCE(excluded.timeline_json, events.timeline_json)
       WHERE excluded.seq > events.seq`,
    );
    this.getStmt = db.prepare('SELECT * FROM events WHERE id = ?');
    this.headStmt = db.prepare('SELECT site, seq FROM events WHERE id = ?');
    this.ackStmt = db.prepare('UPDATE events SET acknowledged_at = ?, acknowledged_by = ?, ack_note = ? WHERE id = ? AND acknowledged_at IS NULL');
    // resolving also acknowledges an event nobody acknowledged yet
    this.resolveStmt = db.prepare(
      `UPDATE events SET resolved_at = @at, resolved_by = @by, resolve_note = @note,
         acknowledged_at = COALESCE(acknowledged_at, @at), acknowledged_by = COALESCE(acknowledged_by, @by)
       WHERE id = @id AND resolved_at IS NULL`,
    );
  }

  apply(message: EventMessage, raw: string, receivedAt: string): ApplyResult {
    return this.db.transaction((): ApplyResult => {
      const recorded = this.recordStmt.run(message.eventId, message.seq, message.type, raw, receivedAt);
      if (recorded.changes === 0) return 'duplicate';
      const existed = this.getStmt.get(message.eventId) !== undefined;
      const a = message.after;
      const info = this.upsertStmt.run({
        id: message.eventId,
        site: message.site,
        cameraId: a.camera.id,
        cameraName: a.camera.name,
        cameraLocation: a.camera.location ?? null,
        kind: a.kind,
        label: a.label,
        state: message.type === 'end' || a.endedAt ? 'ended' : 'active',
        startedAt: a.startedAt,
        updatedAt: a.updatedAt,
        endedAt: a.endedAt,
        score: a.score,
        peakScore: a.peakScore,
        threshold: a.threshold,
        explanation: a.explanation?.text ?? null,
        explanationSource: a.explanation?.source ?? null,
        explanationJson: a.explanation ? JSON.stringify(a.explanation) : null,
        model: a.model.name,
        seq: message.seq,
        receivedAt,
        snapshotUrl: a.media?.snapshot ?? null,
        clipUrl: a.media?.clip ?? null,
        timelineJson: a.timeline ? JSON.stringify(a.timeline) : null,
      });
      if (!existed) return 'new';
      return info.changes > 0 ? 'updated' : 'stale';
    })();
  }

  /** The site an event belongs to and the seq of its latest message, if it is known. */
  head(id: string): { site: string; seq: number } | undefined {
    return this.headStmt.get(id) as { site: string; seq: number } | undefined;
  }

  get(id: string): ConsoleEvent | undefined {
    const row = this.getStmt.get(id) as Row | undefined;
    return row ? toEvent(row) : undefined;
  }

  list(query: ListQuery): ConsoleEvent[] {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: query.limit };
    if (query.unacknowledgedOnly) where.push('acknowledged_at IS NULL');
    const filters: Array<[keyof ListQuery, string]> = [
      ['site', 'site = @site'],
      ['camera', 'camera_id = @camera'],
      ['kind', 'kind = @kind'],
      ['since', 'started_at >= @since'],
      ['until', 'started_at < @until'],
    ];
    for (const [key, clause] of filters) {
      if (query[key] === undefined) continue;
      where.push(clause);
      params[key] = query[key];
    }
    const states: Record<NonNullable<ListQuery['state']>, string> = {
      active: "state = 'active'",
      ended: "state = 'ended'",
      unacknowledged: 'acknowledged_at IS NULL',
      acknowledged: 'acknowledged_at IS NOT NULL AND resolved_at IS NULL',
      resolved: 'resolved_at IS NOT NULL',
    };
    if (query.state) where.push(states[query.state]);
    const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY (acknowledged_at IS NULL) DESC, started_at DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(params) as Row[]).map(toEvent);
  }

  /** Returns false when the event is unknown or already resolved. */
  resolve(id: string, at: string, by: string | null, note: string | null): boolean {
    return this.resolveStmt.run({ id, at, by, note }).changes > 0;
  }

  /** Returns false when the event is unknown or was already acknowledged (the first acknowledgement stands). */
  acknowledge(id: string, at: string, by: string | null, note: string | null): boolean {
    return this.ackStmt.run(at, by, note, id).changes > 0;
  }
}

interface Row {
  id: string;
  site: string;
  camera_id: string;
  camera_name: string;
  camera_location: string | null;
  kind: string;
  label: string;
  state: 'active' | 'ended';
  started_at: string;
  updated_at: string;
  ended_at: string | null;
  score: number;
  peak_score: number;
  threshold: number;
  explanation: string | null;
  explanation_source: string | null;
  explanation_json: string | null;
  model: string;
  received_at: string;
  snapshot_url: string | null;
  clip_url: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  ack_note: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  resolve_note: string | null;
  timeline_json: string | null;
}

function toEvent(r: Row): ConsoleEvent {
  return {
    id: r.id,
    site: r.site,
    camera: { id: r.camera_id, name: r.camera_name, location: r.camera_location },
    kind: r.kind,
    label: r.label,
    state: r.state,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    endedAt: r.ended_at,
    score: r.score,
    peakScore: r.peak_score,
    threshold: r.threshold,
    explanation: r.explanation_json
      ? (JSON.parse(r.explanation_json) as Explanation)
      : r.explanation
        ? { text: r.explanation, source: r.explanation_source === 'llm' ? 'llm' : 'template', language: 'en' }
        : null,
    model: r.model,
    // the console serves the agent's files itself (with the agent's token), so operators never reach an agent
    media: {
      snapshot: r.snapshot_url ? `/api/media/events/${encodeURIComponent(r.id)}/snapshot.jpg` : null,
      clip: r.clip_url ? `/api/media/events/${encodeURIComponent(r.id)}/clip.mp4` : null,
    },
    receivedAt: r.received_at,
    acknowledgement: r.acknowledged_at ? { at: r.acknowledged_at, by: r.acknowledged_by, note: r.ack_note } : null,
    resolution: r.resolved_at ? { at: r.resolved_at, by: r.resolved_by, note: r.resolve_note } : null,
    timeline: r.timeline_json ? (JSON.parse(r.timeline_json) as Array<[number, number]>) : null,
  };
}
