import mqtt from 'mqtt';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '@vigil/config';
import { SiteConfigSchema, type SiteConfig } from '../../apps/edge-agent/src/config/site-config.schema';
import { EmbeddedBroker } from '../../apps/edge-agent/src/mqtt/embedded-broker';
import { MqttRepository } from '../../apps/edge-agent/src/mqtt/mqtt.repository';
import { OutboxPublisherService } from '../../apps/edge-agent/src/mqtt/outbox-publisher.service';
import { OutboxSignal } from '../../apps/edge-agent/src/mqtt/outbox-signal';
import { openDatabase } from '../../apps/edge-agent/src/storage/database';
import { OutboxRepository } from '../../apps/edge-agent/src/storage/outbox.repository';
import { freePort, waitFor } from '../support/ports';

jest.setTimeout(30_000);

/** The outbox with a real broker (aedes, in process) that is not there at first. */
describe(OutboxPublisherService.name, () => {
  it('should keep messages while the broker is away and deliver them in order once it is up', async () => {
    const port = await freePort();
    const users = [
      { username: 'north', password: 'north-agent-password', role: 'agent' as const, site: 'north' },
      { username: 'console', password: 'console-reader-password', role: 'reader' as const },
    ];
    const config: SiteConfig = SiteConfigSchema.parse({
      site: { id: 'north' },
      cameras: [{ id: 'a', url: 'x.mp4' }],
      mqtt: { url: `mqtt://127.0.0.1:${port}`, username: 'north', password: 'north-agent-password' },
    });
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'vigil-outbox-')), 'agent.db'));
    const outbox = new OutboxRepository(db);
    const mqttRepo = new MqttRepository(config);
    const signal = new OutboxSignal();
    const publisher = new OutboxPublisherService(outbox, mqttRepo, signal, new SystemClock(), config);
    for (let i = 0; i < 5; i++) outbox.add({ topic: 'vigil/north/events', payload: `m${i}`, qos: 1, retain: false }, new Date().toISOString());

    mqttRepo.connect();
    publisher.start();
    await new Promise((r) => setTimeout(r, 1000));
    expect(outbox.pending()).toBe(5);

    const broker = await EmbeddedBroker.start('127.0.0.1', port, { users, topicPrefix: 'vigil', discoveryPrefix: 'homeassistant' });
    const received: string[] = [];
    const sub = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'observer', username: 'console', password: 'console-reader-password' });
    await sub.subscribeAsync('vigil/north/events', { qos: 1 });
    sub.on('message', (_t, p) => received.push(p.toString()));
    await waitFor('all messages delivered', () => outbox.pending() === 0 && received.length === 5, 20_000);
    expect(received).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);

    outbox.add({ topic: 'vigil/north/events', payload: 'm5', qos: 1, retain: false }, new Date().toISOString());
    signal.notify();
    await waitFor('the new message', () => received.includes('m5'), 5000);

    await publisher.shutdown();
    await mqttRepo.close();
    await sub.endAsync();
    await broker.close();
    db.close();
  });

  it('should delete delivered messages after the retention and never undelivered ones', () => {
    const config = SiteConfigSchema.parse({ site: { id: 'north' }, cameras: [{ id: 'a', url: 'x.mp4' }], storage: { outboxRetentionDays: 7 } });
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'vigil-outbox-')), 'agent.db'));
    const outbox = new OutboxRepository(db);
    const now = Date.parse('2026-11-28T12:00:00Z');
    const days = (n: number) => new Date(now - n * 86_400_000).toISOString();
    const old = outbox.add({ topic: 't', payload: 'old', qos: 1, retain: false }, days(10));
    outbox.markSent(old, days(10));
    const recent = outbox.add({ topic: 't', payload: 'recent', qos: 1, retain: false }, days(2));
    outbox.markSent(recent, days(2));
    outbox.add({ topic: 't', payload: 'undelivered', qos: 1, retain: false }, days(30));
    const publisher = new OutboxPublisherService(outbox, new MqttRepository(config), new OutboxSignal(), { now: () => now }, config);
    expect(publisher.prune()).toBe(1);
    expect(db.prepare('SELECT payload FROM outbox ORDER BY id').all()).toEqual([{ payload: 'recent' }, { payload: 'undelivered' }]);
    db.close();
  });
});
