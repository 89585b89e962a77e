import { FfmpegFrameSource, inputArguments, ResilientFrameSource, type Frame, type StreamStatus } from '@vigil/streams';
import { execFileSync } from 'node:child_process';
import { fixtureClip } from '../support/clips';
import { stopAll } from '../support/processes';
import { startRtspServer, type RtspServer } from '../support/rtsp-server';

jest.setTimeout(90_000);

function ffmpegChildren(): number {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), 'ffmpeg'])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean).length;
  } catch {
    return 0;
  }
}

describe('RTSP ingest (GStreamer RTSP server + ffmpeg)', () => {
  let server: RtspServer;
  let clip: string;

  beforeAll(async () => {
    clip = await fixtureClip('fall');
    server = await startRtspServer({ cam: clip });
  });

  afterAll(async () => {
    await server?.stop();
    await stopAll();
  });

  it('should yield frames of the model size at the analysis rate and leave no ffmpeg behind', async () => {
    const source = new FfmpegFrameSource({ input: inputArguments(server.url('cam')), fps: 4, size: { width: 64, height: 48 } });
    const frames: Frame[] = [];
    for await (const frame of source.frames()) {
      frames.push(frame);
      if (frames.length === 12) break;
    }
    expect(frames.every((f) => f.data.length === 64 * 48 * 3 && f.width === 64 && f.height === 48)).toBe(true);
    expect(frames.map((f) => f.seq)).toEqual([...Array(12).keys()]);
    const seconds = (frames[11].at - frames[4].at) / 1000; // skip the start-up burst
    expect(7 / seconds).toBeGreaterThan(2.5);
    expect(7 / seconds).toBeLessThan(6);
    expect(ffmpegChildren()).toBe(0);
  });

  it('should report a dead camera and come back when the server returns', async () => {
    const statuses: StreamStatus[] = [];
    const port = server.port;
    const source = new ResilientFrameSource(
      () =>
        new FfmpegFrameSource({
          input: inputArguments(server.url('cam'), { ioTimeoutMs: 2000 }),
          fps: 4,
          size: { width: 32, height: 32 },
          stallTimeoutMs: 8000,
        }),
      { backoff: { initialMs: 200, maxMs: 1000 }, onStatus: (s) => statuses.push(s) },
    );
    const ac = new AbortController();
    let frames = 0;
    let framesAfterRestart = 0;
    let restarted = false;
    const run = (async () => {
      for await (const frame of source.frames(ac.signal)) {
        frames++;
        if (restarted) framesAfterRestart++;
        if (frame && framesAfterRestart >= 4) ac.abort();
      }
    })();
    while (frames < 4) await new Promise((r) => setTimeout(r, 100));
    await server.stop();
    while (!statuses.some((s) => s.state === 'offline')) await new Promise((r) => setTimeout(r, 100));
    server = await startRtspServer({ cam: clip }, port);
    restarted = true;
    await run;
    expect(statuses.map((s) => s.state)).toEqual(expect.arrayContaining(['connecting', 'online', 'offline']));
    expect(statuses.find((s) => s.state === 'offline')?.lastError).toBeTruthy();
    expect(source.current.reconnects).toBeGreaterThanOrEqual(1);
    expect(framesAfterRestart).toBeGreaterThanOrEqual(4);
    expect(ffmpegChildren()).toBe(0);
  });

  it('should fail a session with a clear error when nothing listens', async () => {
    const source = new FfmpegFrameSource({ input: inputArguments('rtsp://127.0.0.1:1/none', { ioTimeoutMs: 1000 }), fps: 4, size: { width: 8, height: 8 } });
    await expect(
      (async () => {
        for await (const _ of source.frames()) void _;
      })(),
    ).rejects.toThrow(/ffmpeg exited with code \d+: .*(Connection refused|refused)/i);
  });
});
