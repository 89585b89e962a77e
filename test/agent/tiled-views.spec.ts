import { fixtureClip } from '../support/clips';
import { startObservedAgent, type ObservedAgent } from '../support/observed-agent';
import { waitFor } from '../support/ports';
import { stopAll } from '../support/processes';

jest.setTimeout(120_000);

interface Health {
  inference: { windows: number };
  cameras: Array<{ id: string; windows: number; lastScores?: Record<string, number> }>;
}

const WHOLE_PICTURE = [
  [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ] as Array<[number, number]>,
];

/**
 * `model.views: tiles`: frames decoded at twice the model's size, each scored as the whole picture and its four
 * quadrants (five windows per camera, batched), the highest view per label; a camera's masks cover the larger frame.
 */
describe('edge agent scoring tiles', () => {
  let site: ObservedAgent;

  beforeAll(async () => {
    const clip = await fixtureClip('fall');
    site = await startObservedAgent('tiles', {
      cameras: [
        { id: 'open', url: clip },
        { id: 'masked', url: clip, masks: WHOLE_PICTURE },
      ],
      model: { views: 'tiles', fall: 'video' },
      events: { fall: { enabled: false }, fire: { enabled: false }, smoke: { enabled: false } },
    });
  });

  afterAll(async () => {
    await site?.stop();
    await stopAll();
  });

  it('should score five views per window, and a fully masked camera the same every window', async () => {
    const { agent, httpUrl } = site;
    expect(agent.output()).toMatch(/views: tiles \(frames decoded at 256x256; the whole picture and its 4 quadrants scored, 5 windows per camera\)/);
    const health = async () => (await (await fetch(`${httpUrl}/health`)).json()) as Health;
    const seen: Record<string, Array<Record<string, number>>> = { open: [], masked: [] };
    await waitFor(
      () => `six windows on each camera; agent output:\n${agent.output().slice(-3000)}`,
      async () => {
        for (const c of (await health()).cameras) {
          const last = seen[c.id].at(-1);
          if (c.lastScores && JSON.stringify(c.lastScores) !== JSON.stringify(last)) seen[c.id].push(c.lastScores);
        }
        const h = await health();
        return h.cameras.every((c) => c.windows >= 6) ? h : undefined;
      },
      90_000,
      100,
    );
    // every camera window is five model windows (the counts are read a moment apart, so at most one window each apart)
    const h = await health();
    const windows = h.cameras.reduce((n, c) => n + c.windows, 0);
    expect(h.inference.windows).toBeGreaterThanOrEqual(5 * windows);
    expect(h.inference.windows).toBeLessThanOrEqual(5 * (windows + h.cameras.length));
    // the mask blanks the whole 256x256 frame, so every view of every window is the same grey picture
    const spread = (runs: Array<Record<string, number>>) =>
      Math.max(...Object.keys(runs[0]).map((label) => Math.max(...runs.map((r) => r[label])) - Math.min(...runs.map((r) => r[label]))));
    expect(seen.masked.length).toBeGreaterThan(0);
    expect(spread(seen.masked)).toBeLessThan(0.003);
    expect(spread(seen.open)).toBeGreaterThan(0.01);
  });
});
