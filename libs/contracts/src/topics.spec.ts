import { topics } from './topics';

describe('topics.parse', () => {
  it.each([
    ['vigil/north/events', { kind: 'events', site: 'north' }],
    ['vigil/north/availability', { kind: 'availability', site: 'north' }],
    ['vigil/north/acks', { kind: 'acks', site: 'north' }],
    ['vigil/north/gate/state', { kind: 'camera-state', site: 'north', camera: 'gate' }],
    ['vigil/north/gate/availability', { kind: 'camera-availability', site: 'north', camera: 'gate' }],
    ['vigil/north/gate/fall', undefined],
    ['vigil//events', undefined],
    ['other/north/events', undefined],
    ['vigil/north/events/extra', undefined],
  ])('%s', (topic, expected) => {
    expect(topics.parse('vigil', topic)).toEqual(expected);
  });

  it('should read topics under a multi-level prefix, and match what the builders write', () => {
    expect(topics.parse('acme/vigil', topics.events('acme/vigil', 'n1'))).toEqual({ kind: 'events', site: 'n1' });
    expect(topics.parse('acme/vigil', topics.cameraState('acme/vigil', 'n1', 'c2'))).toEqual({ kind: 'camera-state', site: 'n1', camera: 'c2' });
  });
});
