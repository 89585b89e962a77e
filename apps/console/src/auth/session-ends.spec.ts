import { Clock } from '@vigil/config';
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

/** A clock the test moves by hand. */
class ManualClock extends Clock {
  at = Date.now();
  now(): number {
    return this.at;
  }
}

/** When an open live stream must close: its session signed out, or expired (real SQLite). */
describe('AuthService.sessionEnds', () => {
  const clock = new ManualClock();
  const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'vigil-auth-')), 'console.db'));
  const users = new UsersRepository(db);
  const auth = new AuthService(users, new AuditRepository(db), ConsoleConfigSchema.parse({}), clock);

  afterAll(() => db.close());

  it('should end at sign-out, and only for that session', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    auth.announce();
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

  it('should end when the session is found expired, by the injected clock', async () => {
    const { token } = await auth.login('admin', 'admin-password-1', 'test');
    clock.at += auth.sessionMaxAgeMs - 1000;
    expect(auth.userFor(token)?.username).toBe('admin');
    clock.at += 1000;
    expect(auth.userFor(token)).toBeUndefined();
    await expect(firstValueFrom(auth.sessionEnds(token, 20).pipe(timeout(2000)))).resolves.toBeUndefined();
  });
});
