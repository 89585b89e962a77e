import type { Db } from '../storage/database';
import type { Role, SessionUser } from './roles';

export interface UserRow extends SessionUser {
  passwordHash: string;
  createdAt: string;
}

/** Local users and their sessions (token hashes only; the token itself lives in the browser's cookie). */
export class UsersRepository {
  constructor(private readonly db: Db) {}

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  byName(username: string): UserRow | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE username = ? COLLATE NOCASE').get(username) as Record<string, unknown> | undefined;
    return (
      r && {
        id: r.id as number,
        username: r.username as string,
        role: r.role as Role,
        passwordHash: r.password_hash as string,
        createdAt: r.created_at as string,
      }
    );
  }

  list(): SessionUser[] {
    return (this.db.prepare('SELECT id, username, role FROM users ORDER BY username').all() as SessionUser[]).map((r) => ({ ...r }));
  }

  create(username: string, role: Role, passwordHash: string, at: string): SessionUser {
    const info = this.db.prepare('INSERT INTO users (username, role, password_hash, created_at) VALUES (?, ?, ?, ?)').run(username, role, passwordHash, at);
    return { id: Number(info.lastInsertRowid), username, role };
  }

  /** Creates the first admin only while there is no user at all (one statement, so two set-ups cannot race). */
  /** Removes the user and, with them, every session they hold; false when there was no such user. */
  remove(username: string): boolean {
    return this.db.prepare('DELETE FROM users WHERE username = ?').run(username).changes > 0;
  }

  /** Ends every session of the user; how many there were. */
  revokeSessions(username: string): number {
    return this.db.prepare('DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)').run(username).changes;
  }

  admins(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'").get() as { n: number }).n;
  }

  setPasswordHash(id: number, passwordHash: string): void {
    this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, id);
  }

  createFirstAdmin(username: string, passwordHash: string, at: string): SessionUser | undefined {
    const info = this.db
      .prepare("INSERT INTO users (username, role, password_hash, created_at) SELECT ?, 'admin', ?, ? WHERE NOT EXISTS (SELECT 1 FROM users)")
      .run(username, passwordHash, at);
    return info.changes ? { id: Number(info.lastInsertRowid), username, role: 'admin' } : undefined;
  }

  createSession(tokenHash: string, userId: number, expiresAt: string, at: string): void {
    this.db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(tokenHash, userId, at, expiresAt);
  }

  session(tokenHash: string, now: string): SessionUser | undefined {
    const r = this.db
      .prepare('SELECT u.id, u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?')
      .get(tokenHash, now) as SessionUser | undefined;
    return r && { ...r };
  }

  deleteSession(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  deleteExpiredSessions(now: string): void {
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
  }
}
