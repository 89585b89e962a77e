import type { EventMessage } from '@vigil/contracts';
import { Clock } from '@vigil/config';
import { loadModelCard, shippedModelCard } from '@vigil/model';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SiteConfigSchema, type SiteConfig } from '../config/site-config.schema';
import type { ExplanationService } from '../explain/explanation.service';
import type { AgentUrl } from '../http/agent-url';
import type { ModelRepository } from '../inference/model.repository';
import type { MediaService } from '../media/media.service';
import type { MqttRepository } from '../mqtt/mqtt.repository';
import { OutboxSignal } from '../mqtt/outbox-signal';
import { openDatabase, type Db } from '../storage/database';
import { EventRepository } from '../storage/event.repository';
import { OutboxRepository } from '../storage/outbox.repository';
import { EventService } from './event.service';
import { EventWriter } from './event-writer';

class ManualClock extends Clock {
  constructor(public at: number) {
    super();
  }
  now(): number {
    return this.at;
  }
}

const T0 = Date.parse('2026-12-01T10:00:00Z');
const HOP_MS = 500;

/** The service against a real SQLite file, with the shipped card; media, MQTT and the LLM are out of the picture. */
function setup(folder: string, events: Record<string, unknown> = {}) {
  const config: SiteConfig = SiteConfigSchema.parse({
    site: { id: 'north', timezone: 'UTC' },
    cameras: [{ id: 'gate', name: 'Gate', url: 'rtsp://127.0.0.1:8554/gate' }],
    storage: { path: join(folder, 'events.db') },
    events,
  });
  const { card } = loadModelCard(shippedModelCard());
  const model = { card, scorerOf: () => ({ name: card.name, windowSeconds: 2 }) } as unknown as ModelRepository;
  const db = openDatabase(config.storage.path);
  const repository = new EventRepository(db);
  const outbox = new OutboxRepository(db);
  const urls = { eventMedia: (id: string, file: string) => `http://agent/media/events/${id}/${file}` } as unknown as AgentUrl;
  const media = { saveSnapshot: () => undefined, scheduleClip: () => undefined } as unknown as MediaService;
  const retained: Array<[string, string]> = [];
  const mqtt = { setState: (topic: string, payload: string | Buffer) => retained.push([topic, String(payload)]) } as unknown as MqttRepository;
  const clock = new ManualClock(T0);
  const writer = new EventWriter(config, model, repository, outbox, new OutboxSignal(), urls);
  const explanations = { usesLlm: false } as ExplanationService;
  const service = new EventService(config, model, repository, writer, media, clock, explanations, mqtt);
  let window = 0;
  /** One window per call, HOP_MS apart, with `score` for fire and 0 for every other label. */
  const feed = (...scores: number[]) => {
    for (const score of scores) {
      const at = T0 + window++ * HOP_MS;
      clock.at = at;
      service.observe(config.cameras[0], Object.fromEntries(card.labels.map((label) => [label, label === 'fire' ? score : 0])), at);
    }
  };
  const messages = () => outbox.nextUnsent(100).map((row) => JSON.parse(row.payload) as EventMessage);
  return { service, db, feed, messages, retained, repository, threshold: card.thresholds['fire'] };
}

describe('EventService', () => {
  let folder: string;
  let db: Db | undefined;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'vigil-events-'))));
  afterEach(() => {
    db?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('should write a start with its run-up and an end with the whole timeline, each with its outbox message, and set the retained state', () => {
    const s = setup(folder);
    db = s.db;
    s.feed(0.1, 0.1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0);
    const [start, end, ...more] = s.messages();
    expect(more).toEqual([]);
    expect(start).toMatchObject({
      type: 'new',
      seq: 0,
      site: 'north',
      before: null,
      after: { kind: 'fire', camera: { id: 'gate', name: 'Gate' }, endedAt: null },
    });
    expect(start.after.timeline!.length).toBeGreaterThanOrEqual(1);
    expect(start.after.timeline!.every(([, score]) => score >= s.threshold)).toBe(true);
    expect(end).toMatchObject({ type: 'end', eventId: start.eventId, seq: 1, before: { endedAt: null } });
    expect(end.after.endedAt).not.toBeNull();
    expect(end.after.timeline!.length).toBeGreaterThan(start.after.timeline!.length);
    expect(end.after.timeline!.at(-1)![1]).toBe(0);
    expect(s.repository.get(start.eventId)).toMatchObject({ kind: 'fire', seq: 1, endedAt: end.after.endedAt });
    expect(s.retained.map(([topic, state]) => `${topic.split('/').slice(-2).join('/')}=${state}`)).toEqual(['gate/fire=ON', 'gate/fire=OFF']);
  });

  it('should keep the camera running while the file refuses writes and write the end it owes once it takes them again', () => {
    const s = setup(folder);
    db = s.db;
    s.feed(1, 1, 1, 1);
    const [start] = s.messages();
    expect(start.type).toBe('new');
    // every write now fails in SQLite, as on a read-only mount (test/agent/disk-full.spec.ts fills a real disk)
    s.db.pragma('query_only = ON');
    s.feed(0, 0, 0, 0, 0, 0);
    expect(s.service.storage).toMatchObject({ state: 'degraded', failures: expect.any(Number) });
    expect(s.repository.get(start.eventId)!.endedAt).toBeNull();
    s.db.pragma('query_only = OFF');
    s.feed(0);
    expect(s.service.storage.state).toBe('ok');
    const end = s.messages().find((m) => m.type === 'end');
    expect(end).toMatchObject({ eventId: start.eventId, seq: 1 });
    expect(s.repository.get(start.eventId)!.endedAt).not.toBeNull();
  });

  it('should end the events a crash left open, at their last update', () => {
    const first = setup(folder);
    first.feed(1, 1, 1, 1);
    const [start] = first.messages();
    first.db.close();
    const s = setup(folder);
    db = s.db;
    expect(s.service.endInterrupted()).toBe(1);
    const end = s.messages().find((m) => m.type === 'end')!;
    expect(end).toMatchObject({ eventId: start.eventId, after: { endReason: 'agent-restarted', endedAt: start.after.updatedAt } });
  });

  it('should raise nothing for a kind the site turned off', () => {
    const s = setup(folder, { fire: { enabled: false } });
    db = s.db;
    s.feed(1, 1, 1, 1, 1);
    expect(s.messages()).toEqual([]);
    expect(s.retained).toEqual([]);
  });
});
