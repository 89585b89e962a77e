import { fixtureClip } from '../support/clips';
import { startObservedAgent, type ObservedAgent } from '../support/observed-agent';
import { waitFor } from '../support/ports';
import { stopAll } from '../support/processes';

jest.setTimeout(120_000);

interface Health {
  inference: { windows: number; frames: number };
  cameras: Array<{ id: string; windows: number }>;
}

/**
 * The streaming student in the agent (`model.card: builtin-stream`): each frame goes once through the frame
 * encoder, windows through the temporal head, and the fall in the project's fall clip comes out as an event.
 */
describe('edge agent with the streaming model', () => {
  let site: ObservedAgent;

  beforeAll(async () => {
    const clip = await fixtureClip('fall');
    site = await startObservedAgent('stream', { cameras: [{ id: 'desk', name: 'Desk camera', url: clip }], model: { card: 'builtin-stream', fall: 'video' } });
  });

  afterAll(async () => {
    await site?.stop();
    await stopAll();
  });

  it('should raise the fall, encoding each frame once and scoring windows with the temporal head', async () => {
    const { agent, events, httpUrl, get } = site;
    expect(agent.output()).toMatch(
      /model vigil-stream-tiny: 8 frames of 96x96 .*streaming \(frame encoder once per frame, temporal head per window\); providers cpu/,
    );
    const fall = await waitFor(
      () => `a fall event; agent output:\n${agent.output().slice(-3000)}`,
      () => events.find((e) => e.type === 'new' && e.after.kind === 'fall'),
      60_000,
      200,
    );
    expect(fall.after.model.name).toBe('vigil-stream-tiny');
    const health = (await (await fetch(`${httpUrl}/health`)).json()) as Health;
    // hop 2: every frame is encoded once, a window is scored every second frame once the first 8 are in
    expect(health.inference.frames).toBeGreaterThanOrEqual(2 * health.inference.windows);
    expect(health.inference.windows).toBeGreaterThanOrEqual(health.cameras[0].windows);
    const metrics = await (await get('/metrics')).text();
    for (const graph of ['frame', 'temporal']) expect(metrics).toMatch(new RegExp(`vigil_inference_run_seconds_count\\{graph="${graph}"\\} [1-9]`));
    expect(metrics).toMatch(/vigil_clip_queue \d/);
    // Prometheus naming: running totals are counters, process metrics keep their standard names
    expect(metrics).toMatch(/^# TYPE vigil_camera_windows_total counter$/m);
    expect(metrics).toMatch(/^vigil_camera_windows_total\{camera="desk"\} [1-9]/m);
    expect(metrics).not.toMatch(/^# TYPE vigil_\w+_total gauge$/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d/m);
    // camera log lines carry the camera as a JSON field beside the message
    expect(agent.output()).toMatch(/"camera":"desk"[^\n]*"msg":"fall event [0-9a-f-]+ started on camera desk/);
  });
});
