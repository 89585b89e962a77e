import type { Explanation } from '@vigil/contracts';
import type { Db } from './database';

export interface EventRow {
  id: string;
  cameraId: string;
  kind: string;
  label: string;
  startedAt: string;
  updatedAt: string;
  endedAt: string | null;
  score: number;
  peakScore: number;
  threshold: number;
  seq: number;
  explanation: Explanation | null;
  /** Relative to media.dir. */
  snapshotPath: string | null;
  clipPath: string | null;
}

/** The agent's own record of every event it raised (the console keeps its own copy from MQTT). */
export class EventRepository {
  private readonly insertStmt;
  private readonly updateStmt;
  private readonly getStmt;
  private readonly recentStmt;
  private readonly openStmt;
  private readonly probeStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO events (id, camera_id, kind, label, started_at, updated_at, ended_at, score, peak_score, threshold, seq, explanation,
                           explanation_source, explanation_json, snapshot_path, clip_path)
       VALUES (@id, @cameraId, @kind, @label, @startedAt, @updatedAt, @endedAt, @score, @peakScore, @threshold, @seq, @explanation,
               @explanationSource, @explanationJson, @snapshotPath, @clipPath)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE events SET updated_at = @updatedAt, ended_at = @endedAt, score = @score, peak_score = @peakScore, seq = @seq,
       explanation = @explanation, explanation_source = @explanationSource, explanation_json = @explanationJson, snapshot_path = @snapshotPath, clip_path = @clipPath
       WHERE id = @id`,
    );
    this.getStmt = db.prepare('SELECT * FROM events WHERE id = ?');
    this.probeStmt = db.prepare('INSERT OR REPLACE INTO storage_probe (id, at) VALUES (1, ?)');
    this.openStmt = db.prepare('SELECT id FROM events WHERE ended_at IS NULL ORDER BY started_at');
    this.recentStmt = db.prepare('SELECT id, camera_id, kind, started_at FROM events WHERE started_at >= ? ORDER BY started_at DESC LIMIT ?');
  }

  insert(row: EventRow): void {
    this.insertStmt.run(toParams(row));
  }

  update(row: EventRow): void {
    this.updateStmt.run(toParams(row));
  }

  /** Events that started at or after `since` (ISO time), newest first. */
  startedSince(since: string, limit = 20): Array<{ id: string; cameraId: string; kind: string; startedAt: string }> {
    return (this.recentStmt.all(since, limit) as Array<Record<string, string>>).map((r) => ({
      id: r.id,
      cameraId: r.camera_id,
      kind: r.kind,
      startedAt: r.started_at,
    }));
  }

  /** A small real write: throws while the disk is full or the file is read-only. */
  probeWrite(at: string): void {
    this.probeStmt.run(at);
  }

  /** Events never ended: after a clean stop none, after a crash the ones that were open. */
  openIds(): string[] {
    return (this.openStmt.all() as Array<{ id: string }>).map((r) => r.id);
  }

  get(id: string): EventRow | undefined {
    const r = this.getStmt.get(id) as Record<string, unknown> | undefined;
    if (!r) return undefined;
    return {
      id: r.id as string,
      cameraId: r.camera_id as string,
      kind: r.kind as string,
      label: r.label as string,
      startedAt: r.started_at as string,
      updatedAt: r.updated_at as string,
      endedAt: (r.ended_at as string) ?? null,
      score: r.score as number,
      peakScore: r.peak_score as number,
      threshold: r.threshold as number,
      seq: r.seq as number,
      explanation: r.explanation_json
        ? (JSON.parse(r.explanation_json as string) as Explanation)
        : r.explanation
          ? { text: r.explanation as string, source: r.explanation_source === 'llm' ? 'llm' : 'template', language: 'en' }
          : null,
      snapshotPath: (r.snapshot_path as string) ?? null,
      clipPath: (r.clip_path as string) ?? null,
    };
  }

  /** Runs `fn` in one SQLite transaction: the event row and its outbox message land together or not at all. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}

function toParams(row: EventRow) {
  return {
    ...row,
    explanation: row.explanation?.text ?? null,
    explanationSource: row.explanation?.source ?? null,
    explanationJson: row.explanation ? JSON.stringify(row.explanation) : null,
  };
}
