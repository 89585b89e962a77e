import { Injectable } from '@nestjs/common';
import { Clock } from '@vigil/config';
import { CameraStateSchema } from '@vigil/contracts';
import { LiveUpdates } from '../events/live-updates';
import { IngestCounters } from '../ingest/ingest-counters';
import { CamerasRepository, type ConsoleCamera } from './cameras.repository';

/** Sites and cameras as their agents report them: availability (last will) and each camera's retained state. */
@Injectable()
export class CamerasService {
  private readonly sites = new Map<string, boolean>();

  constructor(
    private readonly store: CamerasRepository,
    private readonly live: LiveUpdates,
    private readonly counters: IngestCounters,
    private readonly clock: Clock,
  ) {}

  siteAvailability(site: string, online: boolean): void {
    this.sites.set(site, online);
    if (!online) this.store.markSiteOffline(site, new Date(this.clock.now()).toISOString());
    this.live.publish({ type: 'site', site, online });
  }

  /** A camera's retained state from its agent; a malformed one is counted and logged like an event. */
  cameraState(site: string, cameraId: string, raw: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      this.counters.reject('a camera state', 'not JSON', raw);
      return;
    }
    const result = CameraStateSchema.safeParse(parsed);
    if (!result.success) {
      this.counters.reject('a camera state', result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), raw);
      return;
    }
    const s = result.data;
    this.store.upsert({
      site,
      id: cameraId,
      name: s.name,
      location: s.location ?? null,
      state: s.state,
      online: s.state === 'online',
      reconnects: s.reconnects,
      fps: s.fps ?? null,
      lastError: s.lastError ?? null,
      live: s.live ?? null,
      snapshot: s.snapshot ?? null,
      updatedAt: s.at,
    });
    const stored = this.store.get(site, cameraId);
    if (stored) this.live.publish({ type: 'camera', camera: stored });
  }

  list(): ConsoleCamera[] {
    return this.store.list();
  }

  siteStates(): Record<string, boolean> {
    return Object.fromEntries(this.sites);
  }
}
