import { keyId } from '@vigil/contracts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST } from '../support/processes';
import { writeSiteConfig } from '../support/site-config';

const MAIN = join(DIST, 'apps', 'edge-agent', 'src', 'main.js');

/** `vigil site-key` in the images: what an installer pastes into the console's mqtt.siteKeys before the agent ever runs. */
describe('vigil-agent --print-site-key', () => {
  it('should make the site key once, print only the public key on stdout, and print the same key again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-site-key-'));
    const site = join(dir, 'site.yaml');
    writeSiteConfig(site, { site: { id: 'yard' }, cameras: [{ id: 'a', url: 'rtsp://127.0.0.1:9/a' }], storage: { path: join(dir, 'data', 'agent.db') } });
    const run = () => execFileSync(process.execPath, [MAIN, '--config', site, '--print-site-key'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const first = run().trim();
    expect(first).toMatch(/^ed25519:[A-Za-z0-9+/]{43}=$/);
    expect(statSync(join(dir, 'data', 'site-key.pem')).mode & 0o777).toBe(0o600);
    expect(run().trim()).toBe(first);
    expect(keyId(first)).toMatch(/^[0-9a-f]+$/);
  });
});
