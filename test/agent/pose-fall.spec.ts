import { fixtureClip } from '../support/clips';
import { startObservedAgent, type ObservedAgent } from '../support/observed-agent';
import { waitFor } from '../support/ports';
import { stopAll } from '../support/processes';

jest.setTimeout(120_000);

interface Health {
  cameras: Array<{ id: string; windows: number; lastScores?: Record<string, number> }>;
}

/**
 * The agent's default fall path (`model.fall: pose`): the same decode gives the video model its frames and the
 * pose model letterboxed ones, the pose-fall model scores windows of keypoints, and its score opens fall events
 * with its own threshold. A camera whose picture is masked entirely gives the pose model nothing to see.
 */
describe('edge agent with the pose stage', () => {
  let site: ObservedAgent;

  beforeAll(async () => {
    const clip = await fixtureClip('fall');
    site = await startObservedAgent('pose', {
      cameras: [
        { id: 'open', url: clip },
        {
          id: 'masked',
          url: clip,
          masks: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 1],
            ],
          ],
        },
      ],
      // the fixture's rendered figure scores lower than real people: one window over 0.8 opens the event here
      events: { fall: { threshold: 0.8, minWindows: 1, smoothingWindows: 1 }, fire: { enabled: false }, smoke: { enabled: false } },
    });
  });

  afterAll(async () => {
    await site?.stop();
    await stopAll();
  });

  it('should raise the fall from the pose stage, and nothing where the picture is masked', async () => {
    const { agent, events, httpUrl, get } = site;
    expect(agent.output()).toMatch(
      /fall scores from the pose stage: vigil-pose-fall over 8 poses from movenet-lightning \(384x384 letterboxed, following the person with a 192x192 crop, pose kept where nothing moved by more than 6 grey levels\)/,
    );
    const fall = await waitFor(
      () => `a fall event; agent output:\n${agent.output().slice(-3000)}`,
      () => events.find((e) => e.type === 'new' && e.after.kind === 'fall'),
      60_000,
      200,
    );
    expect(fall.after.camera.id).toBe('open');
    expect(fall.after.threshold).toBe(0.8);
    expect(fall.after.model).toEqual({ name: 'vigil-pose-fall', windowSeconds: 2 });
    expect(fall.after.peakScore).toBeGreaterThanOrEqual(0.8);
    // past the clip's fall (5.1 s; a window every 0.5 s once 2 s are in) on the masked camera too
    const masked = await waitFor(
      'the masked camera past the fall',
      async () => ((await (await fetch(`${httpUrl}/health`)).json()) as Health).cameras.find((c) => c.id === 'masked' && c.windows >= 14),
      30_000,
      250,
    );
    // the pose model sees only black: its fall score stays near zero while the open camera's moves
    expect(masked.lastScores?.fall).toBeLessThan(0.2);
    expect(events.filter((e) => e.after.camera.id === 'masked')).toEqual([]);
    const metrics = await (await get('/metrics')).text();
    for (const graph of ['window', 'pose', 'pose-fall']) expect(metrics).toMatch(new RegExp(`vigil_inference_run_seconds_count\\{graph="${graph}"\\} [1-9]`));
    // every model ran on a thread of its own (the default), none of them lost
    expect(metrics).toMatch(/^vigil_inference_thread_restarts_total 0$/m);
  });
});
