import { parseLlmAnswer } from './explanation.schema';
import { buildPrompt, PROMPT_VERSION, type ExplainEvidence } from './prompts';
import { Semaphore } from '../common/semaphore';

const evidence: ExplainEvidence = {
  kind: 'smoke',
  site: 'north',
  cameraName: 'Kitchen',
  localTime: 'Tue 19:40:02',
  threshold: 0.65,
  peakScore: 0.912,
  timeline: [
    { t: 0, score: 0.7 },
    { t: 0.5, score: 0.912 },
  ],
  durationSeconds: 0.5,
  recent: [{ kind: 'fire', cameraName: 'Kitchen', minutesAgo: 12 }],
};

describe(buildPrompt.name, () => {
  it('should state only the evidence, with the answer format and the language', () => {
    const [system, user] = buildPrompt(evidence, 'zh-CN', false);
    expect(system.content).toContain('Answer with JSON only');
    expect(system.content).toContain('never\ninvent');
    expect(user.content).toBe(
      [
        'Event: possible smoke',
        'Site: north',
        'Camera: "Kitchen"',
        'Local time: Tue 19:40:02',
        'Model score threshold: 65%; peak score: 91%',
        'Scores since the event opened (seconds: score): 0.0s:70%, 0.5s:91%',
        'Duration so far: 0.5 s',
        'Other events on this site in the last hour: fire on "Kitchen" 12 min ago',
        'Write the summary and the action in Simplified Chinese (简体中文); keep the JSON keys in English.',
      ].join('\n'),
    );
    expect(PROMPT_VERSION).toMatch(/^event-explanation\/\d+$/);
  });

  it('should send text only when there is no snapshot, even to a vision model', () => {
    expect(typeof buildPrompt(evidence, 'en', true)[1].content).toBe('string');
  });
});

describe(parseLlmAnswer.name, () => {
  it('should accept bare JSON, fenced JSON and snake_case keys', () => {
    const a = { summary: 'Smoke rising near the stove for a few seconds.', severity: 'medium', suggested_action: 'Check the kitchen.' };
    expect(parseLlmAnswer(JSON.stringify(a))).toEqual({ summary: a.summary, severity: 'medium', suggestedAction: 'Check the kitchen.' });
    expect(parseLlmAnswer(`Here you go:\n\`\`\`json\n${JSON.stringify(a)}\n\`\`\``).severity).toBe('medium');
  });

  it('should name what is wrong with a bad answer', () => {
    expect(() => parseLlmAnswer('{"summary": "short", "severity": "extreme"}')).toThrow(/summary: .*; severity: /);
    expect(() => parseLlmAnswer('{"summary": "Smoke rising near the stove.", "severity": "low"}')).toThrow(/suggestedAction is missing/);
    expect(() => parseLlmAnswer('no json here')).toThrow(/did not answer with a JSON object/);
  });
});

describe(Semaphore.name, () => {
  it('should never run more than the limit at once', async () => {
    const s = new Semaphore(2);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        s.run(async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 10));
          active--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });
});
