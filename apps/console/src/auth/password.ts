import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** OWASP's minimum for scrypt (2^17, r 8, p 1): 128 MiB and about a third of a second per hash on a small box. */
const PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

/** scrypt needs 128 * N * r bytes; Node refuses above `maxmem` (32 MiB by default). */
function options(p: { N: number; r: number; p: number }): ScryptOptions {
  return { ...p, maxmem: 128 * p.N * p.r + 16 * 1024 * 1024 };
}

/** Hashes at once: a burst of sign-ins waits its turn instead of taking 128 MiB each. */
const CONCURRENT = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function derive(password: string, salt: Buffer, p: { N: number; r: number; p: number }, bytes: number): Promise<Buffer> {
  if (running >= CONCURRENT) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await new Promise((resolve, reject) => scrypt(password, salt, bytes, options(p), (err, key) => (err ? reject(err) : resolve(key))));
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** `scrypt$N$r$p$salt$hash` (base64), so the parameters can be raised later without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS, KEY_BYTES);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  // a stored hash is data: refuse costs no hash of ours would have, rather than let a row exhaust memory
  if (![params.N, params.r, params.p].every(Number.isInteger) || params.N > 2 ** 20 || params.r > 16 || params.p > 4) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), params, expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Whether a stored hash was made with weaker parameters than today's: rehash it at the next sign-in. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return scheme !== 'scrypt' || Number(n) < PARAMS.N || Number(r) < PARAMS.r || Number(p) < PARAMS.p;
}
