import { fixtureClip } from '../support/clips';
import { startObservedAgent, type ObservedAgent } from '../support/observed-agent';
import { waitFor } from '../support/ports';
import { stopAll } from '../support/processes';

jest.setTimeout(120_000);

/** `model.confirm`: the window model on every window, the tiles model on the fire and smoke candidates. */
describe('edge agent confirming fire and smoke with a second model', () => {
  let site: ObservedAgent;

  beforeAll(async () => {
    site = await startObservedAgent('cascade', {
      cameras: [{ id: 'yard', url: await fixtureClip('fire') }],
      // gate 0: every window is a candidate, so the second model's work is countable
      model: { confirm: { card: 'builtin-tiles', gate: 0 }, fall: 'video' },
      events: { fall: { enabled: false } },
    });
  });

  afterAll(async () => {
    await site?.stop();
    await stopAll();
  });

  it('should decode for tiles, run the confirming model on candidate windows and count them', async () => {
    const { agent } = site;
    expect(agent.output()).toMatch(
      /cascade: vigil-vit-tiny scores every window; at fire or smoke >= 0 vigil-vit-tiny-tiles confirms on the whole picture and its 4 quadrants \(frames decoded at 256x256\)/,
    );
    const metric = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    const text = await waitFor(
      () => `six confirmed windows; agent output:\n${agent.output().slice(-3000)}`,
      async () => {
        const body = await (await site.get('/metrics')).text();
        return metric(body, 'vigil_inference_confirmed_windows_total') >= 6 ? body : undefined;
      },
      90_000,
      200,
    );
    const windows = metric(text, 'vigil_inference_windows_total');
    const confirmed = metric(text, 'vigil_inference_confirmed_windows_total');
    // windows_total counts the first model's windows; each was a candidate at gate 0 (read a moment apart)
    expect(confirmed).toBeGreaterThanOrEqual(windows - 1);
    expect(confirmed).toBeLessThanOrEqual(windows);
    expect(text).toMatch(/vigil_inference_batch_size_count\{graph="confirm"\} [1-9]/);
    const health = (await (await fetch(`${site.httpUrl}/health`)).json()) as { model: string; cascade: { windows: number; confirmed: number } };
    expect(health.model).toBe('vigil-vit-tiny+vigil-vit-tiny-tiles');
    expect(health.cascade.confirmed).toBeGreaterThanOrEqual(confirmed);
    expect(health.cascade.confirmed).toBeLessThanOrEqual(health.cascade.windows);
  });
});
