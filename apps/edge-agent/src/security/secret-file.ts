import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Reads a secret the agent made earlier, or makes it: written to a temporary file with mode 0600, synced and
 * linked into place (never over a file another process made first), so a crash never leaves half a key. A secret
 * file others can read is refused with the fix.
 */
export function readOrCreateSecret(path: string, make: () => string, what: string): { text: string; created: boolean } {
  if (existsSync(path)) return { text: readExisting(path, what), created: false };
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, make());
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  let created = true;
  try {
    linkSync(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    created = false;
  } finally {
    unlinkSync(tmp);
  }
  return { text: readExisting(path, what), created };
}

function readExisting(path: string, what: string): string {
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) throw new Error(`${what} ${path} can be read by other users (mode ${mode.toString(8)}); run chmod 600 "${path}"`);
  return readFileSync(path, 'utf8');
}
