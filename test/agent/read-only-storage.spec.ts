import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../apps/edge-agent/src/storage/database';
import { startNode, stopAll } from '../support/processes';
import { writeSiteConfig } from '../support/site-config';

jest.setTimeout(60_000);

/** A read-only filesystem (root ignores folder permissions, so a read-only mount it is). */
function readOnlyFolderWithDatabase(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ro-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    console.warn(`read-only storage test skipped: cannot mount a tmpfs here (${(err as Error).message.split('\n')[0]})`);
    return undefined;
  }
  openDatabase(join(dir, 'agent.db')).close();
  execFileSync('mount', ['-o', 'remount,ro', dir]);
  return dir;
}

const dir = readOnlyFolderWithDatabase();

/** Issue 15 (low): a database in a read-only folder is a clear error and exit, not a stack trace. */
(dir ? describe : describe.skip)('agent with its database on a read-only filesystem', () => {
  afterAll(async () => {
    await stopAll();
    if (dir) execFileSync('umount', [dir]);
  });

  it('should say the folder must be writable and exit non-zero', async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'vigil-ro-config-')), 'site.yaml');
    writeSiteConfig(config, {
      site: { id: 'ro' },
      cameras: [{ id: 'a', url: 'rtsp://127.0.0.1:9/x' }],
      storage: { path: join(dir!, 'agent.db') },
      mqtt: { signingKey: join(tmpdir(), 'vigil-ro-site-key.pem') },
    });
    const agent = startNode('apps/edge-agent/src/main.js', ['--config', config]);
    const code = await agent.exited;
    expect(code).not.toBe(0);
    expect(agent.output()).toMatch(/Cannot open the event database ".*agent\.db": .*folder must be writable .*set storage\.path to a writable folder/);
    expect(agent.output()).not.toMatch(/^\s+at /m);
  });
});
