import { templateExplanation, type EventEvidence } from './template-explainer';

const evidence: EventEvidence = {
  kind: 'fall',
  cameraName: 'Lobby',
  location: 'Ground floor',
  firstAt: Date.UTC(2026, 10, 24, 14, 3, 12),
  peakScore: 0.913,
  threshold: 0.6,
  windows: 3,
  windowSeconds: 2,
  hopSeconds: 0.5,
  timeZone: 'UTC',
};

describe(templateExplanation.name, () => {
  it('should state only the evidence: camera, place, time, score, threshold, duration', () => {
    const e = templateExplanation(evidence, 'en');
    expect(e).toMatchObject({ source: 'template', language: 'en' });
    expect(e.text).toBe(
      'Possible fall on camera "Lobby" (Ground floor) at 14:03:12: the model\'s fall score reached 91% (threshold 60%) in 3 consecutive windows covering about 3 s of video. Check on the person now and call for help if they do not get up.',
    );
  });

  it('should write Simplified Chinese when configured', () => {
    const e = templateExplanation({ ...evidence, kind: 'fire', location: undefined }, 'zh-CN');
    expect(e.language).toBe('zh-CN');
    expect(e.text).toContain('摄像头“Lobby”于 14:03:12 检测到疑似火情');
    expect(e.text).toContain('91%');
  });
});
