import type { Db } from './database';

export interface OutboxMessage {
  topic: string;
  payload: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  eventId?: string;
  /** The event message's seq: with eventId, what a console's acknowledgement names. */
  seq?: number;
}

export interface OutboxRow extends OutboxMessage {
  id: number;
  attempts: number;
}

/**
 * Messages waiting for delivery, in insertion order. A row is written in the same transaction as the state change
 * it announces and is marked sent only after PUBACK, so nothing is lost across crashes or broker outages. An event
 * message that waits for a console's acknowledgement also gets a `resend_after`: past it, unacknowledged, it goes
 * back in the queue (a broker that lost its queue, a console that was away). Consumers de-duplicate repeats by
 * event id and seq.
 */
export class OutboxRepository {
  private readonly insertStmt;
  private readonly unsentStmt;
  private readonly sentStmt;
  private readonly failedStmt;
  private readonly pendingStmt;
  private readonly pruneStmt;
  private readonly ackStmt;
  private readonly requeueStmt;
  private readonly unackedStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      'INSERT INTO outbox (event_id, seq, topic, payload, qos, retain, created_at) VALUES (@eventId, @seq, @topic, @payload, @qos, @retain, @createdAt)',
    );
    this.unsentStmt = db.prepare('SELECT id, event_id, seq, topic, payload, qos, retain, attempts FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?');
    this.sentStmt = db.prepare('UPDATE outbox SET sent_at = ?, resend_after = ?, attempts = attempts + 1 WHERE id = ?');
    this.ackStmt = db.prepare('UPDATE outbox SET acked_at = ?, resend_after = NULL WHERE event_id = ? AND seq = ? AND acked_at IS NULL');
    this.requeueStmt = db.prepare(
      'UPDATE outbox SET sent_at = NULL, resend_after = NULL WHERE acked_at IS NULL AND resend_after IS NOT NULL AND resend_after <= ?',
    );
    this.unackedStmt = db.prepare(
      'SELECT COUNT(*) AS n FROM outbox WHERE acked_at IS NULL AND seq IS NOT NULL AND sent_at IS NOT NULL AND resend_after IS NOT NULL',
    );
    this.failedStmt = db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?');
    this.pendingStmt = db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL');
    this.pruneStmt = db.prepare('DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ? AND resend_after IS NULL');
  }

  /** Deletes delivered messages sent before `before` (ISO time); undelivered or unacknowledged ones are never deleted. */
  pruneSent(before: string): number {
    return this.pruneStmt.run(before).changes;
  }

  /** Call inside the caller's transaction. */
  add(message: OutboxMessage, createdAt: string): number {
    const info = this.insertStmt.run({
      eventId: message.eventId ?? null,
      seq: message.seq ?? null,
      topic: message.topic,
      payload: message.payload,
      qos: message.qos,
      retain: message.retain ? 1 : 0,
      createdAt,
    });
    return Number(info.lastInsertRowid);
  }

  nextUnsent(limit: number): OutboxRow[] {
    const rows = this.unsentStmt.all(limit) as Array<{
      id: number;
      event_id: string | null;
      seq: number | null;
      topic: string;
      payload: string;
      qos: number;
      retain: number;
      attempts: number;
    }>;
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id ?? undefined,
      seq: r.seq ?? undefined,
      topic: r.topic,
      payload: r.payload,
      qos: r.qos as 0 | 1 | 2,
      retain: r.retain === 1,
      attempts: r.attempts,
    }));
  }

  /** After PUBACK; with `resendAfter` (ISO time) the row goes back in the queue then unless acknowledged. */
  markSent(id: number, at: string, resendAfter?: string): void {
    this.sentStmt.run(at, resendAfter ?? null, id);
  }

  /** A console's acknowledgement of event message (eventId, seq); false when no row waited for it. */
  acknowledge(eventId: string, seq: number, at: string): boolean {
    return this.ackStmt.run(at, eventId, seq).changes > 0;
  }

  /** Puts sent but unacknowledged messages whose wait is over back in the queue; returns how many. */
  requeueUnacknowledged(now: string): number {
    return this.requeueStmt.run(now).changes;
  }

  /** Sent messages still waiting for a console's acknowledgement. */
  unacknowledged(): number {
    return (this.unackedStmt.get() as { n: number }).n;
  }

  markFailed(id: number, error: string): void {
    this.failedStmt.run(error.slice(0, 500), id);
  }

  pending(): number {
    return (this.pendingStmt.get() as { n: number }).n;
  }
}
