import type { ModelCard } from '../model-card';
import { withPoseFall } from './pose-stage';

const card = {
  labels: ['fall', 'fire', 'smoke'],
  eventKinds: { fall: 'fall', fire: 'fire', smoke: 'smoke' },
  thresholds: { fall: 0.85, fire: 0.55 },
} as unknown as ModelCard;

describe('withPoseFall', () => {
  it("should give the fall labels the pose stage's threshold and score", () => {
    const { card: effective, apply } = withPoseFall(card, 0.8);
    expect(effective.thresholds).toEqual({ fall: 0.8, fire: 0.55 });
    expect(apply({ fall: 0.99, fire: 0.2, smoke: 0.3 }, 0.1)).toEqual({ fall: 0.1, fire: 0.2, smoke: 0.3 });
  });

  it('should add a fall label to a video model that has none', () => {
    const fireOnly = { labels: ['normal', 'flame'], eventKinds: { flame: 'fire' }, thresholds: {} } as unknown as ModelCard;
    const { card: effective, apply } = withPoseFall(fireOnly, 0.7);
    expect(effective.labels).toEqual(['normal', 'flame', 'fall']);
    expect(effective.eventKinds).toEqual({ flame: 'fire', fall: 'fall' });
    expect(effective.thresholds).toEqual({ fall: 0.7 });
    expect(apply({ normal: 0.9, flame: 0.05 }, 0.6)).toEqual({ normal: 0.9, flame: 0.05, fall: 0.6 });
  });
});
