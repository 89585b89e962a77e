import { Clock } from '@vigil/config';
import { EVENT_SCHEMA_ID, type EventMessage } from '@vigil/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditRepository } from '../audit/audit.repository';
import { IngestCounters } from '../ingest/ingest-counters';
import { MessageVerifier } from '../ingest/message-verifier';
import { openDatabase, type Db } from '../storage/database';
import { EventStoreRepository } from '../storage/event-store.repository';
import { EventsService, MAX_EVENT_BYTES, MAX_SEQ_STEP } from './events.service';
import { LiveUpdates, type LiveUpdate } from './live-updates';

const AT = Date.parse('2026-12-01T10:00:05Z');
const ID = '0b8f6a3e-6b8e-4c8a-9d64-2f1f0d6f3c11';

function message(over: Partial<EventMessage> = {}): string {
  const m: EventMessage = {
    schema: EVENT_SCHEMA_ID,
    type: 'new',
    eventId: ID,
    seq: 0,
    site: 'north',
    before: null,
    after: {
      camera: { id: 'dock-1', name: 'Dock 1' },
      kind: 'fire',
      label: 'fire',
      startedAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-01T10:00:01.000Z',
      endedAt: null,
      score: 0.8,
      peakScore: 0.9,
      threshold: 0.6,
      model: { name: 'm', windowSeconds: 2 },
      explanation: { text: 'Possible fire', source: 'template', language: 'en' },
    },
    ...over,
  };
  return JSON.stringify(m);
}

describe(EventsService.name, () => {
  let folder: string;
  let db: Db;
  let service: EventsService;
  let counters: IngestCounters;
  let audit: AuditRepository;
  let updates: LiveUpdate[];

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'vigil-console-events-'));
    db = openDatabase(join(folder, 'console.db'));
    const live = new LiveUpdates();
    updates = [];
    live.updates.subscribe((u) => updates.push(u));
    counters = new IngestCounters();
    audit = new AuditRepository(db);
    const clock = new (class extends Clock {
      now = () => AT;
    })();
    service = new EventsService(new EventStoreRepository(db), audit, new MessageVerifier({}, false), live, counters, clock);
  });
  afterEach(() => {
    db.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('should store a new event, acknowledge it, and tell a repeat and an older message apart', () => {
    expect(service.ingest(message({ seq: 3 }), 'north')).toEqual({ outcome: 'new', ack: { eventId: ID, seq: 3 } });
    expect(service.ingest(message({ seq: 3 }), 'north').outcome).toBe('duplicate');
    expect(service.ingest(message({ seq: 2 }), 'north').outcome).toBe('stale');
    expect(service.get(ID)).toMatchObject({ site: 'north', kind: 'fire' });
    expect(updates.map((u) => u.type)).toEqual(['event']);
    expect(counters.counts).toEqual({ received: 3, rejected: 0, duplicates: 1, unverified: 0 });
  });

  it.each([
    ['a payload over the size limit', () => message().padEnd(MAX_EVENT_BYTES + 1, ' ')],
    ['a payload that is not JSON', () => '{"schema":'],
    ['a message that fails the schema', () => message({ seq: -1 })],
    ['a message naming another site', () => message({ site: 'south' })],
    ['a seq that jumps past the limit', () => message({ seq: MAX_SEQ_STEP + 1 })],
  ])('should refuse %s, count it and store nothing', (_, raw) => {
    expect(service.ingest(raw(), 'north')).toEqual({ outcome: 'rejected' });
    expect(service.get(ID)).toBeUndefined();
    expect(counters.counts.rejected).toBe(1);
    expect(updates).toEqual([]);
  });

  it('should refuse an unsigned message when signatures are required', () => {
    const strict = new EventsService(
      new EventStoreRepository(db),
      audit,
      new MessageVerifier({}, true),
      new LiveUpdates(),
      counters,
      new (class extends Clock {
        now = () => AT;
      })(),
    );
    expect(strict.ingest(message(), 'north')).toEqual({ outcome: 'rejected' });
    expect(counters.counts).toMatchObject({ rejected: 1, unverified: 1 });
  });

  it('should acknowledge and resolve once each, audited, and not know an unknown event', () => {
    service.ingest(message(), 'north');
    expect(service.acknowledge(ID, 'ada', 'on my way')).toMatchObject({ acknowledgement: { by: 'ada', note: 'on my way' } });
    expect(service.acknowledge(ID, 'bob', null)).toMatchObject({ acknowledgement: { by: 'ada' } });
    expect(service.resolve(ID, 'ada', 'false alarm: welding')).toMatchObject({ resolution: { by: 'ada', note: 'false alarm: welding' } });
    expect(service.acknowledge('nope', 'ada', null)).toBeUndefined();
    expect(
      audit
        .recent(10)
        .map((a) => `${a.action} ${a.username}`)
        .sort(),
    ).toEqual(['event-acknowledged ada', 'event-resolved ada']);
    expect(updates.map((u) => u.type)).toEqual(['event', 'event', 'event']);
  });
});
