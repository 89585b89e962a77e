/**
 * Ingest cost per camera at 360p, 720p and 1080p: Vigil's frame source (one ffmpeg decode, model frames + preview
 * JPEGs, frames handed to Node) against bare ffmpeg decoding the same RTSP stream to nowhere, in the same run.
 *
 *   npm run bench:ingest [-- --seconds 20]
 */
import { FfmpegFrameSource, inputArguments } from '@vigil/streams';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../scripts/demo-clip';
import { benchOptions } from './options';
import { procStat } from './proc-stats';

const seconds = benchOptions('Usage: npm run bench:ingest [-- --seconds 20]', { seconds: { type: 'string' } }).number('seconds', 20);

function clipFor(height: number): string {
  const dir = join(REPO_ROOT, '.cache', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `testsrc-${height}p.mp4`);
  if (!existsSync(file)) {
    const width = Math.round((height * 16) / 9 / 2) * 2;
    const bitrate = { 360: '800k', 720: '2500k', 1080: '5000k' }[height] ?? '2000k';
    // High profile, like real cameras (CABAC costs more to decode than the ultrafast baseline streams of the tests)
    execFileSync('ffmpeg', [
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${width}x${height}:rate=15`,
      '-t',
      '30',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-profile:v',
      'high',
      '-b:v',
      bitrate,
      '-g',
      '30',
      '-pix_fmt',
      'yuv420p',
      file,
    ]);
  }
  return file;
}

async function startServer(mounts: Record<string, string>, port: number): Promise<ChildProcess> {
  const proc = spawn(
    '/usr/bin/python3',
    [join(REPO_ROOT, 'scripts', 'rtsp-server.py'), '--port', String(port), ...Object.entries(mounts).map(([k, v]) => `${k}=${v}`)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => d.toString().includes('READY') && resolve());
    proc.once('exit', (code) => reject(new Error(`rtsp server exited ${code}`)));
  });
  return proc;
}

async function measureBare(url: string): Promise<{ cpu: number; rss: number }> {
  const ff = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'fatal', ...inputArguments(url), '-an', '-f', 'null', '-'], {
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  await new Promise((r) => setTimeout(r, 3000));
  const a = procStat(ff.pid!);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = procStat(ff.pid!);
  ff.kill('SIGKILL');
  return { cpu: (b.cpuS - a.cpuS) / seconds, rss: b.rssMb };
}

async function measureVigil(url: string): Promise<{ cpu: number; rss: number; fps: number; jpegs: number }> {
  let jpegs = 0;
  let frames = 0;
  const source = new FfmpegFrameSource({
    input: inputArguments(url),
    fps: 4,
    size: { width: 96, height: 96 },
    stallTimeoutMs: 10_000,
    preview: { fps: 2, width: 640, quality: 5, onJpeg: () => jpegs++ },
  });
  const before = { node: process.cpuUsage(), ffmpeg: { cpuS: 0, rssMb: 0 } };
  let measuring = false;
  const ac = new AbortController();
  const run = (async () => {
    for await (const f of source.frames(ac.signal)) {
      void f;
      if (measuring) frames++;
    }
  })();
  await new Promise((r) => setTimeout(r, 3000));
  const ffPid = Number(
    execFileSync('pgrep', ['-n', '-P', String(process.pid), 'ffmpeg'])
      .toString()
      .trim(),
  );
  before.ffmpeg = procStat(ffPid);
  before.node = process.cpuUsage();
  measuring = true;
  jpegs = 0;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const after = procStat(ffPid);
  const node = process.cpuUsage(before.node);
  measuring = false;
  ac.abort();
  await run;
  const nodeCpu = (node.user + node.system) / 1e6 / seconds;
  return { cpu: (after.cpuS - before.ffmpeg.cpuS) / seconds + nodeCpu, rss: after.rssMb, fps: frames / seconds, jpegs: jpegs / seconds };
}

async function main(): Promise<void> {
  const heights = [360, 720, 1080];
  const mounts = Object.fromEntries(heights.map((h) => [`p${h}`, clipFor(h)]));
  const port = 18900 + Math.floor(Math.random() * 90);
  const server = await startServer(mounts, port);
  console.log(
    `ingest per camera, ${seconds} s each, ${cpus()[0].model} x${cpus().length}, ffmpeg ${execFileSync('ffmpeg', ['-version']).toString().split(' ')[2]}`,
  );
  console.log('input | bare ffmpeg decode CPU % | Vigil ingest CPU % (ffmpeg + node) | ratio | bare RSS MB | Vigil ffmpeg RSS MB | model fps | preview fps');
  try {
    for (const h of heights) {
      const url = `rtsp://127.0.0.1:${port}/p${h}`;
      const bare = await measureBare(url);
      const vigil = await measureVigil(url);
      console.log(
        `${h}p@15 | ${(bare.cpu * 100).toFixed(1)} | ${(vigil.cpu * 100).toFixed(1)} | ${(vigil.cpu / bare.cpu).toFixed(2)} | ${bare.rss.toFixed(0)} | ${vigil.rss.toFixed(0)} | ${vigil.fps.toFixed(2)} | ${vigil.jpegs.toFixed(2)}`,
      );
    }
  } finally {
    server.kill('SIGTERM');
  }
}

void main();
