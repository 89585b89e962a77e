import { Logger } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, timeout } from 'rxjs';
import { AuditRepository } from '../audit/audit.repository';
import { ConsoleConfigSchema } from '../config/console-config.schema';
import { openDatabase } from '../storage/database';
import { AuthService } from './auth.service';
import { UsersRepository } from './users.repository';

/** When an open live stream must close: its session signed out, or expired (real SQLite). */
describe('AuthService.sessionEnds', () => {
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'vigil-auth-')), 'console.db'));
  const users = new UsersRepository(db);
  const auth = new AuthService(users, new AuditRepository(db), ConsoleConfigSchema.parse({}));

  afterAll(() => db.close());

  it('should end at sign-out, and only for that session', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    auth.onApplicationBootstrap();
    const code = /setup code (\S+)/.exec(String(warn.mock.calls[0][0]))![1];
    warn.mockRestore();
    const { token } = await auth.setup('admin', 'admin-password-1', code);
    const other = (await auth.login('admin', 'admin-password-1', 'test')).token;
    const ended = firstValueFrom(auth.sessionEnds(token, 60_000).pipe(timeout(2000)));
    const otherEnded = firstValueFrom(auth.sessionEnds(other, 60_000).pipe(timeout(300))).then(
      () => 'ended',
      () => 'open',
    );
    auth.logout(token);
    await expect(ended).resolves.toBeUndefined();
    await expect(otherEnded).resolves.toBe('open');
  });

  it('should end when the session is found expired', async () => {
    const { token } = await auth.login('admin', 'admin-password-1', 'test');
    db.prepare('UPDATE sessions SET expires_at = ?').run(new Date(Date.now() - 1000).toISOString());
    await expect(firstValueFrom(auth.sessionEnds(token, 20).pipe(timeout(2000)))).resolves.toBeUndefined();
  });
});
