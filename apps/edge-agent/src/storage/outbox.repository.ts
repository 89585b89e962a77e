import type { Db } from './database';

export interface OutboxMessage {
  topic: string;
  payload: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  eventId?: string;
}

export interface OutboxRow extends OutboxMessage {
  id: number;
  attempts: number;
}

/**
 * Messages waiting for a broker acknowledgement, in insertion order. A row is written in the same transaction
 * as the state change it announces and is marked sent only after PUBACK, so nothing is lost across crashes or
 * broker outages; consumers de-duplicate the rare repeat by event id and seq.
 */
export class OutboxRepository {
  private readonly insertStmt;
  private readonly unsentStmt;
  private readonly sentStmt;
  private readonly failedStmt;
  private readonly pendingStmt;
  private readonly pruneStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      'INSERT INTO outbox (event_id, topic, payload, qos, retain, created_at) VALUES (@eventId, @topic, @payload, @qos, @retain, @createdAt)',
    );
    this.unsentStmt = db.prepare('SELECT id, event_id, topic, payload, qos, retain, attempts FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?');
    this.sentStmt = db.prepare('UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ?');
    this.failedStmt = db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?');
    this.pendingStmt = db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL');
    this.pruneStmt = db.prepare('DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?');
  }

  /** Deletes delivered messages sent before `before` (ISO time); undelivered ones are never deleted. */
  pruneSent(before: string): number {
    return this.pruneStmt.run(before).changes;
  }

  /** Call inside the caller's transaction. */
  add(message: OutboxMessage, createdAt: string): number {
    const info = this.insertStmt.run({
      eventId: message.eventId ?? null,
      topic: message.topic,
      payload: message.payload,
      qos: message.qos,
      retain: message.retain ? 1 : 0,
      createdAt,
    });
    return Number(info.lastInsertRowid);
  }

  nextUnsent(limit: number): OutboxRow[] {
    const rows = this.unsentStmt.all(limit) as Array<{ id: number; event_id: string | null; topic: string; payload: string; qos: number; retain: number; attempts: number }>;
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id ?? undefined,
      topic: r.topic,
      payload: r.payload,
      qos: r.qos as 0 | 1 | 2,
      retain: r.retain === 1,
      attempts: r.attempts,
    }));
  }

  markSent(id: number, at: string): void {
    this.sentStmt.run(at, id);
  }

  markFailed(id: number, error: string): void {
    this.failedStmt.run(error.slice(0, 500), id);
  }

  pending(): number {
    return (this.pendingStmt.get() as { n: number }).n;
  }
}
