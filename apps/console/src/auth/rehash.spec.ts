import { SystemClock } from '@vigil/config';
import { mkdtempSync } from 'node:fs';
import { randomBytes, scryptSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditRepository } from '../audit/audit.repository';
import { ConsoleConfigSchema } from '../config/console-config.schema';
import { openDatabase } from '../storage/database';
import { AuthService } from './auth.service';
import { UsersRepository } from './users.repository';

describe('password cost upgrade at sign-in (real SQLite)', () => {
  it('should rehash a password stored at the old scrypt cost on the next successful sign-in', async () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'vigil-rehash-')), 'console.db'));
    const users = new UsersRepository(db);
    const auth = new AuthService(users, new AuditRepository(db), ConsoleConfigSchema.parse({}), new SystemClock());
    const salt = randomBytes(16);
    const old = ['scrypt', 16384, 8, 1, salt.toString('base64'), scryptSync('an old password', salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')].join(
      '$',
    );
    users.create('veteran', 'operator', old, new Date().toISOString());
    await expect(auth.login('veteran', 'wrong password!', 'test')).rejects.toThrow(/Wrong user name or password/);
    expect(users.byName('veteran')!.passwordHash).toBe(old);
    await auth.login('veteran', 'an old password', 'test');
    const upgraded = users.byName('veteran')!.passwordHash;
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
    await expect(auth.login('veteran', 'an old password', 'test')).resolves.toMatchObject({ user: { username: 'veteran' } });
    db.close();
  });
});
