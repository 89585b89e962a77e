import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mayPublish, maySubscribe, openBrokerUsers, passwordMatches, type BrokerUser } from './broker-users';

describe('embedded broker users and topic rules', () => {
  const north: BrokerUser = { username: 'north', password: 'x'.repeat(16), role: 'agent', site: 'north' };
  const reader: BrokerUser = { username: 'console', password: 'y'.repeat(16), role: 'reader' };

  it.each([
    [north, 'vigil/north/events', true],
    [north, 'vigil/north/gate/state', true],
    [north, 'vigil/south/events', false],
    [north, 'vigil/northern/events', false],
    [north, 'homeassistant/binary_sensor/vigil_north_gate/fire/config', true],
    [north, 'homeassistant/binary_sensor/vigil_north/agent/config', true],
    [north, 'homeassistant/binary_sensor/vigil_northern/agent/config', false],
    [north, 'homeassistant/binary_sensor/vigil_south_gate/fire/config', false],
    [north, 'homeassistant/binary_sensor/vigil_north_gate/fire/state', false],
    [reader, 'vigil/north/events', false],
    [reader, 'vigil/north/acks', true],
    [reader, 'vigil/north/gate/acks', false],
    [reader, 'vigil//acks', false],
    [north, 'vigil/north/acks', true],
    [north, 'vigil/south/acks', false],
  ])('%o may publish to %s: %s', (user, topic, allowed) => {
    expect(mayPublish(user, topic, 'vigil', 'homeassistant')).toBe(allowed);
  });

  it('should let readers subscribe to anything but $SYS and agents to their own site only', () => {
    expect(maySubscribe(reader, 'vigil/+/events', 'vigil')).toBe(true);
    expect(maySubscribe(reader, '#', 'vigil')).toBe(true);
    expect(maySubscribe(reader, '$SYS/#', 'vigil')).toBe(false);
    expect(maySubscribe(north, 'vigil/north/#', 'vigil')).toBe(true);
    expect(maySubscribe(north, 'vigil/#', 'vigil')).toBe(false);
  });

  it('should compare passwords whole', () => {
    expect(passwordMatches(Buffer.from(north.password), north.password)).toBe(true);
    expect(passwordMatches(Buffer.from(north.password.slice(1)), north.password)).toBe(false);
    expect(passwordMatches(undefined, north.password)).toBe(false);
  });

  it('should make the users file once, mode 0600, and refuse one others can read', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vigil-users-')), 'secrets', 'mqtt-users.json');
    const first = openBrokerUsers(path, 'north');
    expect(first.created).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first.users.map((u) => [u.username, u.role])).toEqual([
      ['north', 'agent'],
      ['console', 'reader'],
    ]);
    expect(new Set(first.users.map((u) => u.password)).size).toBe(2);
    const again = openBrokerUsers(path, 'north');
    expect(again).toEqual({ users: first.users, created: false });
    expect(() => openBrokerUsers(path, 'south')).toThrow(/has no agent user for site "south"/);
    chmodSync(path, 0o644);
    expect(() => openBrokerUsers(path, 'north')).toThrow(/can be read by other users \(mode 644\); run chmod 600/);
    chmodSync(path, 0o600);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/"password": "[^"]+"/, '"password": "short"'));
    expect(() => openBrokerUsers(path, 'north')).toThrow(/users\.0\.password: .*move it away and restart/);
  });
});
