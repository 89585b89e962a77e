import { Clock } from '@vigil/config';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveUpdates, type LiveUpdate } from '../events/live-updates';
import { IngestCounters } from '../ingest/ingest-counters';
import { openDatabase, type Db } from '../storage/database';
import { CamerasRepository } from './cameras.repository';
import { CamerasService } from './cameras.service';

const AT = Date.parse('2026-12-01T10:00:05Z');

describe(CamerasService.name, () => {
  let folder: string;
  let db: Db;
  let service: CamerasService;
  let counters: IngestCounters;
  let updates: LiveUpdate[];
  const state = (over: Record<string, unknown> = {}) =>
    JSON.stringify({ name: 'Dock 1', state: 'online', reconnects: 0, fps: 4, at: '2026-12-01T10:00:00.000Z', ...over });

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'vigil-console-cameras-'));
    db = openDatabase(join(folder, 'console.db'));
    const live = new LiveUpdates();
    updates = [];
    live.updates.subscribe((u) => updates.push(u));
    counters = new IngestCounters();
    const clock = new (class extends Clock {
      now = () => AT;
    })();
    service = new CamerasService(new CamerasRepository(db), live, counters, clock);
  });
  afterEach(() => {
    db.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("should keep each camera's latest state and tell the browsers", () => {
    service.cameraState('north', 'dock-1', state());
    service.cameraState('north', 'dock-1', state({ state: 'stalled', lastError: 'no frames for 10 s' }));
    expect(service.list()).toEqual([
      expect.objectContaining({ site: 'north', id: 'dock-1', state: 'stalled', online: false, lastError: 'no frames for 10 s' }),
    ]);
    expect(updates.map((u) => (u.type === 'camera' ? u.camera.state : u.type))).toEqual(['online', 'stalled']);
  });

  it.each([
    ['not JSON', '{'],
    ['a state the schema refuses', state({ state: 'on fire', reconnects: -1 })],
  ])('should count and drop a camera state that is %s', (_, raw) => {
    service.cameraState('north', 'dock-1', raw);
    expect(service.list()).toEqual([]);
    expect(counters.counts.rejected).toBe(1);
    expect(updates).toEqual([]);
  });

  it("should mark a site's cameras offline when its agent's last will says so", () => {
    service.cameraState('north', 'dock-1', state());
    service.siteAvailability('north', false);
    expect(service.siteStates()).toEqual({ north: false });
    expect(service.list()[0]).toMatchObject({ online: false });
    expect(updates.at(-1)).toEqual({ type: 'site', site: 'north', online: false });
  });
});
