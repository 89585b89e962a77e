import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SiteConfigSchema } from '../config/site-config.schema';
import { MediaService } from './media.service';

/** After a long stop, old evidence goes soon after start, not at the first 10-minute tick (real files). */
describe('media retention at start', () => {
  it('should delete files past media.retentionDays within seconds of start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-retention-'));
    const old = join(dir, 'gate', '2026-01-01', 'old.jpg');
    const fresh = join(dir, 'gate', '2026-12-01', 'fresh.jpg');
    for (const f of [old, fresh]) {
      mkdirSync(join(f, '..'), { recursive: true });
      writeFileSync(f, 'x');
    }
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    utimesSync(old, longAgo, longAgo);
    const config = SiteConfigSchema.parse({ site: { id: 's' }, cameras: [{ id: 'gate', url: 'x.mp4' }], media: { dir, retentionDays: 30 } });
    const media = new MediaService(config, { now: () => Date.now() });
    try {
      const deadline = Date.now() + 15_000;
      while (existsSync(old) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(existsSync(old)).toBe(false);
      expect(existsSync(fresh)).toBe(true);
    } finally {
      await media.close(0);
    }
  }, 20_000);
});
