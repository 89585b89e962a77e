import { EVENT_SCHEMA_ID, type EventMessage } from '@vigil/contracts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './database';
import { EventStoreRepository } from './event-store.repository';

type State = EventMessage['after'];

function message(overrides: Partial<Omit<EventMessage, 'after'>> = {}, after: Partial<State> = {}): EventMessage {
  return {
    schema: EVENT_SCHEMA_ID,
    type: 'new',
    eventId: '0b8f6a3e-6b8e-4c8a-9d64-2f1f0d6f3c11',
    seq: 0,
    site: 'north',
    before: null,
    after: {
      camera: { id: 'dock-1', name: 'Dock 1' },
      kind: 'fall',
      label: 'fall',
      startedAt: '2026-11-24T10:00:00.000Z',
      updatedAt: '2026-11-24T10:00:01.000Z',
      endedAt: null,
      score: 0.8,
      peakScore: 0.9,
      threshold: 0.6,
      model: { name: 'm', windowSeconds: 2 },
      explanation: { text: 'Possible fall', source: 'template', language: 'en' },
      ...after,
    },
    ...overrides,
  };
}

describe(EventStoreRepository.name, () => {
  let store: EventStoreRepository;

  beforeEach(() => {
    store = new EventStoreRepository(openDatabase(join(mkdtempSync(join(tmpdir(), 'vigil-console-db-')), 'console.db')));
  });

  describe('apply', () => {
    it('should store a new event and recognise a repeated delivery', () => {
      const m = message();
      expect(store.apply(m, JSON.stringify(m), '2026-11-24T10:00:02Z')).toBe('new');
      expect(store.apply(m, JSON.stringify(m), '2026-11-24T10:00:03Z')).toBe('duplicate');
      expect(store.list({ limit: 10 })).toHaveLength(1);
    });

    it('should move an event forward by seq and never back', () => {
      const start = message();
      const end = message({ type: 'end', seq: 1 }, { endedAt: '2026-11-24T10:00:09.000Z', score: 0.1 });
      expect(store.apply(end, JSON.stringify(end), 'x')).toBe('new');
      expect(store.apply(start, JSON.stringify(start), 'x')).toBe('stale');
      expect(store.get(start.eventId)).toMatchObject({ state: 'ended', endedAt: '2026-11-24T10:00:09.000Z', score: 0.1 });
    });
  });

  describe('acknowledge', () => {
    it('should keep the first acknowledgement and survive later updates of the event', () => {
      const m = message();
      store.apply(m, JSON.stringify(m), 'x');
      expect(store.acknowledge(m.eventId, '2026-11-24T10:01:00Z', 'ana', 'checked')).toBe(true);
      expect(store.acknowledge(m.eventId, '2026-11-24T10:02:00Z', 'bo', null)).toBe(false);
      const end = message({ type: 'end', seq: 1 }, { endedAt: '2026-11-24T10:00:09.000Z' });
      store.apply(end, JSON.stringify(end), 'x');
      expect(store.get(m.eventId)?.acknowledgement).toEqual({ at: '2026-11-24T10:01:00Z', by: 'ana', note: 'checked' });
      expect(store.list({ limit: 10, unacknowledgedOnly: true })).toEqual([]);
    });

    it('should not acknowledge an unknown event', () => {
      expect(store.acknowledge('nope', 'x', null, null)).toBe(false);
    });
  });
});
