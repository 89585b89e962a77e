import { randomBytes, scryptSync } from 'node:crypto';
import { hashPassword, needsRehash, verifyPassword } from './password';

describe('password hashing (scrypt)', () => {
  it('should verify the right password only, with a fresh salt each time, at OWASP cost', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(needsRehash(a)).toBe(false);
    await expect(verifyPassword('correct horse battery', a)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', a)).resolves.toBe(false);
    await expect(verifyPassword('x', 'not-a-hash')).resolves.toBe(false);
  });

  it('should still verify a hash made with the old cost (2^14) and ask for a rehash', async () => {
    const salt = randomBytes(16);
    const old = ['scrypt', 16384, 8, 1, salt.toString('base64'), scryptSync('old password 1', salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')].join('$');
    await expect(verifyPassword('old password 1', old)).resolves.toBe(true);
    expect(needsRehash(old)).toBe(true);
  });

  it('should refuse a stored hash whose cost would exhaust memory', async () => {
    await expect(verifyPassword('x', `scrypt$${2 ** 24}$8$1$AAAA$AAAA`)).resolves.toBe(false);
  });
});
