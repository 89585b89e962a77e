import type { Db } from '../storage/database';

export interface AuditEntry {
  at: string;
  username: string | null;
  action: string;
  target: string | null;
  detail: string | null;
}

/** Who did what and when: sign-ins (also failed ones), acknowledgements, resolutions, user changes. */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  add(entry: AuditEntry): void {
    this.db.prepare('INSERT INTO audit (at, username, action, target, detail) VALUES (@at, @username, @action, @target, @detail)').run(entry);
  }

  recent(limit: number): AuditEntry[] {
    return this.db.prepare('SELECT at, username, action, target, detail FROM audit ORDER BY id DESC LIMIT ?').all(limit) as AuditEntry[];
  }
}
