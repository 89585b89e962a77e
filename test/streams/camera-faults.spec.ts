import { FfmpegFrameSource, inputArguments, JpegRing, ResilientFrameSource, writeClip, type StreamStatus } from '@vigil/streams';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureClip } from '../support/clips';
import { freePort } from '../support/ports';
import { stopAll } from '../support/processes';
import { startRtspServer, type RtspServer } from '../support/rtsp-server';

jest.setTimeout(90_000);

const dir = mkdtempSync(join(tmpdir(), 'vigil-faults-'));
const size = { width: 32, height: 32 };
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a resilient source in the background, counting frames and keeping every status it reports. */
function watch(url: string, options: { stallMs?: number; ioTimeoutMs?: number; backoffMaxMs?: number } = {}) {
  const statuses: StreamStatus[] = [];
  const frames: number[] = [];
  const source = new ResilientFrameSource(
    () =>
      new FfmpegFrameSource({
        input: inputArguments(url, { ioTimeoutMs: options.ioTimeoutMs ?? 2000 }),
        fps: 4,
        size,
        stallTimeoutMs: options.stallMs ?? 8000,
      }),
    { backoff: { initialMs: 200, maxMs: options.backoffMaxMs ?? 1000 }, onStatus: (s) => statuses.push(s) },
  );
  const ac = new AbortController();
  const done = (async () => {
    for await (const f of source.frames(ac.signal)) frames.push(f.at);
  })();
  return {
    source,
    statuses,
    frames,
    fpsOver: (fromMs: number, toMs: number) => frames.filter((t) => t >= fromMs && t < toMs).length / ((toMs - fromMs) / 1000),
    stop: async () => {
      ac.abort();
      await done;
    },
  };
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}

function ffprobe(path: string): { codec: string; width: number; duration: number } {
  const out = JSON.parse(
    execFileSync('ffprobe', [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=codec_name,width:format=duration',
      '-of',
      'json',
      path,
    ]).toString(),
  );
  return { codec: out.streams[0].codec_name, width: out.streams[0].width, duration: Number(out.format.duration) };
}

describe('camera faults (GStreamer RTSP server + ffmpeg)', () => {
  let clip: string;
  let server: RtspServer;
  let web: Server;
  let webPort: number;

  beforeAll(async () => {
    clip = await fixtureClip('fall');
    server = await startRtspServer({ cam: clip });
    webPort = await freePort();
    web = createServer((_req, res) => res.end('<html><body>login page, not a video</body></html>')).listen(webPort, '127.0.0.1');
  });

  afterAll(async () => {
    web?.close();
    await server?.stop();
    await stopAll();
  });

  it('should see frames again within 3 s of the server coming back', async () => {
    // reconnect attempts at most 0.5 s apart (ingest.reconnectMaxSeconds), so the return is noticed quickly
    const cam = watch(server.url('cam'), { backoffMaxMs: 500 });
    await until(() => cam.frames.length >= 4, 20_000, 'first frames');
    const port = server.port;
    await server.stop();
    await until(() => cam.statuses.some((s) => s.state === 'offline'), 10_000, 'offline');
    await delay(2500); // a few failed reconnects while the server is away
    const before = cam.frames.length;
    server = await startRtspServer({ cam: clip }, port);
    const back = Date.now();
    await until(() => cam.frames.length > before, 10_000, 'frames after the restart');
    const firstFrameAfter = cam.frames[before] - back;
    await cam.stop();
    expect(firstFrameAfter).toBeLessThan(3000);
    expect(cam.source.current.reconnects).toBeGreaterThanOrEqual(2);
  });

  it('should detect a hung server as stalled and recover when it resumes', async () => {
    const cam = watch(server.url('cam'), { stallMs: 2500, ioTimeoutMs: 20_000 });
    await until(() => cam.frames.length >= 4, 20_000, 'first frames');
    process.kill(server.proc.proc.pid!, 'SIGSTOP');
    try {
      await until(() => cam.statuses.some((s) => s.state === 'stalled'), 10_000, 'stalled');
    } finally {
      process.kill(server.proc.proc.pid!, 'SIGCONT');
    }
    const stalled = cam.statuses.find((s) => s.state === 'stalled')!;
    expect(stalled.lastError).toMatch(/no frame for \d+ s/);
    const before = cam.frames.length;
    await until(() => cam.frames.length > before + 4, 20_000, 'frames after resuming');
    await cam.stop();
  });

  it('should keep healthy cameras at full rate while others fail, each with a clear reason', async () => {
    const garbage = join(dir, 'garbage.mp4');
    writeFileSync(garbage, Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251)));
    const good = [watch(server.url('cam')), watch(server.url('cam'))];
    const bad = {
      missing: watch(server.url('no-such-mount')),
      refused: watch('rtsp://127.0.0.1:1/cam'),
      garbage: watch(garbage),
      notVideo: watch(`http://127.0.0.1:${webPort}/`),
    };
    await until(() => good.every((g) => g.frames.length > 0), 20_000, 'good cameras online');
    const from = Date.now() + 1000;
    await delay(9000);
    const rates = good.map((g) => g.fpsOver(from, from + 8000));
    await Promise.all([...good, ...Object.values(bad)].map((c) => c.stop()));
    rates.forEach((fps) => expect(fps).toBeGreaterThan(3.3));
    const reason = (c: ReturnType<typeof watch>) => c.statuses.map((s) => s.lastError).find(Boolean) ?? '';
    expect(reason(bad.missing)).toMatch(/no stream at this path \(404\)/);
    expect(reason(bad.refused)).toMatch(/nothing accepts connections/);
    expect(reason(bad.garbage)).toMatch(/not video that ffmpeg can decode/);
    expect(reason(bad.notVideo)).toMatch(/not video that ffmpeg can decode/);
    Object.values(bad).forEach((c) => expect(c.frames).toEqual([]));
  });

  it('should name wrong credentials and work with the right ones, never logging the password', async () => {
    const secured = await startRtspServer({ cam: clip }, undefined, { user: 'viewer', password: 's3cret-pw' });
    try {
      const wrong = watch(secured.url('cam').replace('rtsp://', 'rtsp://viewer:nope-pw@'));
      const right = watch(secured.url('cam').replace('rtsp://', 'rtsp://viewer:s3cret-pw@'));
      await until(() => right.frames.length >= 4 && wrong.statuses.some((s) => s.lastError), 20_000, 'both answers');
      await Promise.all([wrong.stop(), right.stop()]);
      const errors = wrong.statuses.map((s) => s.lastError ?? '').join('\n');
      expect(errors).toMatch(/refused the credentials \(401\)/);
      expect(errors).not.toContain('nope-pw');
    } finally {
      await secured.stop();
    }
  });

  it('should keep delivering frames through a resolution change mid-stream', async () => {
    const a = join(dir, 'a.ts');
    const b = join(dir, 'b.ts');
    const ab = join(dir, 'ab.ts');
    const enc = ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-f', 'mpegts'];
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10', '-t', '4', ...enc, a]);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=480x270:rate=10', '-t', '4', '-output_ts_offset', '4', ...enc, b]);
    execFileSync('sh', ['-c', `cat "${a}" "${b}" > "${ab}"`]);
    const source = new FfmpegFrameSource({ input: inputArguments(ab, { realtime: false }), fps: 4, size });
    let count = 0;
    await expect(
      (async () => {
        for await (const f of source.frames()) {
          expect(f.data).toHaveLength(32 * 32 * 3);
          count++;
        }
      })(),
    ).rejects.toThrow(/ffmpeg exited with code 0/);
    // 8 s at 4 fps, both halves; read faster than real time, latest-frame-wins may drop some, and counts them
    expect(count + source.dropped).toBeGreaterThanOrEqual(28);
    expect(count).toBeGreaterThanOrEqual(8);
  });

  it('should write a snapshot and a pre/post clip from the preview output that ffprobe reads', async () => {
    const ring = new JpegRing(30_000, 8 * 1024 * 1024);
    const source = new FfmpegFrameSource({
      input: inputArguments(server.url('cam')),
      fps: 4,
      size,
      preview: { fps: 4, width: 320, quality: 5, onJpeg: (data, at) => ring.push({ at, data }) },
    });
    let frames = 0;
    for await (const _ of source.frames()) {
      if (++frames >= 24) break;
    }
    const pictures = ring.between(0, Date.now());
    expect(pictures.length).toBeGreaterThanOrEqual(16);
    expect(pictures[0].data.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    const snapshot = join(dir, 'snap.jpg');
    writeFileSync(snapshot, ring.latest!.data);
    expect(ffprobe(snapshot)).toMatchObject({ codec: 'mjpeg', width: 320 });
    const clipPath = join(dir, 'event.mp4');
    await writeClip(pictures, clipPath, 4);
    const probe = ffprobe(clipPath);
    expect(probe.codec).toBe('h264');
    expect(probe.width).toBe(320);
    expect(probe.duration).toBeCloseTo(pictures.length / 4, 0);
  });
});
