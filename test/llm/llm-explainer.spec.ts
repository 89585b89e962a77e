import { Explainer } from '../../apps/edge-agent/src/explain/explainer';
import { LlmClient } from '../../apps/edge-agent/src/explain/llm.client';
import type { ExplainEvidence } from '../../apps/edge-agent/src/explain/prompts';
import { startOpenAiServer } from '../support/openai-server';

const evidence: ExplainEvidence = {
  kind: 'fall',
  site: 'north',
  cameraName: 'Corridor',
  location: 'Ward B',
  localTime: 'Tue 14:03:12',
  threshold: 0.8,
  peakScore: 0.93,
  timeline: [
    { t: 0, score: 0.85 },
    { t: 0.5, score: 0.93 },
  ],
  durationSeconds: 0.5,
  recent: [],
  snapshotJpeg: Buffer.from([0xff, 0xd8, 0xff, 0xd9]),
};
const template = () => ({ text: 'Possible fall on camera "Corridor".', source: 'template' as const, language: 'en' });

describe('LLM explainer against an OpenAI-compatible server on 127.0.0.1', () => {
  let server: Awaited<ReturnType<typeof startOpenAiServer>>;
  const explainer = (opts: { timeoutMs?: number; retries?: number; vision?: boolean } = {}) =>
    new Explainer(
      new LlmClient({ baseUrl: server.baseUrl, model: 'qwen2.5-vl', apiKey: 'sk-test', timeoutMs: opts.timeoutMs ?? 2000, retries: opts.retries ?? 0 }, () =>
        Promise.resolve(),
      ),
      { language: 'en', vision: opts.vision ?? false, concurrency: 2, model: 'qwen2.5-vl' },
    );

  beforeAll(async () => {
    server = await startOpenAiServer();
  });
  afterAll(() => server.close());
  beforeEach(() => server.requests.splice(0));

  it('should use a good answer, with severity, action, model and token usage', async () => {
    server.set('ok');
    const e = explainer();
    const result = await e.explain(evidence, template);
    expect(result.fallbackReason).toBeUndefined();
    expect(result.explanation).toMatchObject({
      source: 'llm',
      text: 'A person fell in the corridor and did not get up for 6 seconds.',
      severity: 'high',
      suggestedAction: 'Send staff to the corridor now.',
      model: 'qwen2.5-vl',
      usage: { promptTokens: 321, completionTokens: 54 },
    });
    expect(e.stats).toMatchObject({ requests: 1, succeeded: 1, fellBack: 0, promptTokens: 321 });
    const request = server.requests[0];
    expect(request.authorization).toBe('Bearer sk-test');
    expect(request.response_format).toEqual({ type: 'json_object' });
    expect(JSON.stringify(request.messages)).toContain('peak score: 93%');
  });

  it('should send the snapshot to vision models as an image part', async () => {
    server.set('ok');
    await explainer({ vision: true }).explain(evidence, template);
    const user = server.requests[0].messages[1].content as Array<{ type: string; image_url?: { url: string } }>;
    expect(user.find((p) => p.type === 'image_url')?.image_url?.url).toBe('data:image/jpeg;base64,/9j/2Q==');
  });

  it.each([
    ['slow', /timed out after 300 ms/],
    ['error500', /failed with status 500/],
    ['invalid-json', /is not JSON/],
    ['prose', /did not answer with a JSON object/],
  ] as const)('should fall back to the template when the server is %s', async (behaviour, reason) => {
    server.set(behaviour, { slowMs: 3000 });
    const started = Date.now();
    const result = await explainer({ timeoutMs: 300 }).explain(evidence, template);
    expect(result.explanation).toEqual(template());
    expect(result.fallbackReason).toMatch(reason);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('should retry a 503 and accept an answer wrapped in a code fence', async () => {
    server.set('flaky', { failures: 1 });
    const result = await explainer({ retries: 2 }).explain(evidence, template);
    expect(result.explanation.source).toBe('llm');
    expect(server.requests).toHaveLength(2);
  });

  it('should not retry a request the server rejected as malformed', async () => {
    server.set('invalid-json');
    await explainer({ retries: 3 }).explain(evidence, template);
    expect(server.requests).toHaveLength(1);
  });
});
