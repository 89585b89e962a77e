/**
 * Cameras per agent on this box: N generated 640x360 RTSP cameras (the project's fall clip, looping) into one
 * edge agent at 4 fps analysis. Per N: agent CPU (agent + its ffmpeg children) and RSS, analysed fps per camera,
 * dropped frames, and alert latency from the clip's scripted fall onset to the `new` message on MQTT.
 *
 *   npm run bench:cameras [-- --cameras 1,4,8,16,32,48 --seconds 30 --no-events]
 */
import type { EventMessage } from '@vigil/contracts';
import mqtt from 'mqtt';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ensureClip, REPO_ROOT } from '../scripts/demo-clip';
import { simulatedSite } from './simulated-site';

const TICKS = 100;
const argValue = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const counts = (argValue('--cameras') ?? '1,4,8,16,32,48').split(',').map(Number);
const seconds = Number(argValue('--seconds') ?? 30);
/** Scores only, no events: separates the cost of watching from the cost of a fall on every camera every 12 s. */
const noEvents = process.argv.includes('--no-events');
/** builtin (the window model), builtin-stream (the streaming student) or a card path. */
const model = argValue('--card') ?? 'builtin';
const WARMUP_S = 12;

/** CPU seconds and RSS of a process and all its descendants. */
function treeUsage(pid: number): { cpuS: number; rssMb: number } {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  let cpuS = 0;
  let rssMb = 0;
  const visit = (p: number) => {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
      cpuS += (Number(fields[11]) + Number(fields[12])) / TICKS;
      rssMb += (Number(fields[21]) * 4096) / 1e6;
    } catch {
      return;
    }
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return { cpuS, rssMb };
}

function waitLine(proc: ChildProcess, pattern: RegExp, timeoutMs: number, stream: 'stdout' | 'stderr' = 'stdout'): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${buf.slice(-500)}`)), timeoutMs);
    proc[stream]!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = pattern.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
  });
}

const percentile = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] : NaN);

/** Length and fall onset (s) of the scripted fall clip, from the generator that renders it (seed 7, as ensureClip). */
function scriptedFall(): { duration: number; onset: number } {
  const code = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(join(REPO_ROOT, 'libs', 'model', 'training'))})`,
    'from vigil_train.synth.generator import scripted_scene',
    "_, d, o = scripted_scene('fall', 640, 360, 7)",
    "print(json.dumps({'duration': d, 'onset': float(o['fall'])}))",
  ].join('\n');
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code]).toString()) as { duration: number; onset: number };
}

async function runOnce(n: number, clip: string, durationS: number, onsetS: number, clipSeconds: number) {
  const { rtsp, config, mqttPort, httpPort } = await simulatedSite('bench', n, clip, { extraMqtt: ', homeAssistant: { discovery: false }', events: !noEvents, model });
  const loopStarts = new Map<string, number>();
  rtsp.stdout!.on('data', (d: Buffer) => {
    for (const m of d.toString().matchAll(/MEDIA (\S+) (\d+)/g)) loopStarts.set(m[1], Number(m[2]));
  });
  await waitLine(rtsp, /READY/, 15_000);
  const agent = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'apps', 'edge-agent', 'src', 'main.js'), '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let agentLog = '';
  const keep = (d: Buffer) => (agentLog = (agentLog + d.toString()).slice(-4000));
  agent.stderr!.on('data', keep);
  agent.stdout!.on('data', keep);
  agent.once('exit', (code) => code !== null && code !== 0 && console.error(`agent for ${n} cameras exited with ${code}: ${agentLog.slice(-1500)}`));
  // the agent is up when its HTTP port answers
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${httpPort}/health`).then((r) => r.ok).catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const observer = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: 'bench-observer' });
  const latencies: number[] = [];
  let measuring = false;
  observer.on('message', (_t, payload) => {
    const m = JSON.parse(payload.toString()) as EventMessage;
    if (!measuring || m.type !== 'new' || m.after.kind !== 'fall') return;
    const start = loopStarts.get(m.after.camera.id);
    if (start === undefined) return;
    const now = Date.now();
    const k = Math.floor((now - start - onsetS * 1000) / (clipSeconds * 1000));
    if (k >= 0) latencies.push(now - (start + k * clipSeconds * 1000 + onsetS * 1000));
  });
  await observer.subscribeAsync('vigil/bench/events', { qos: 1 });
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const health = async () => (await (await fetch(`http://127.0.0.1:${httpPort}/health`)).json()) as { cameras: Array<{ fps: number; dropped: number; windows: number; state: string }> };
  const h0 = await health();
  const u0 = treeUsage(agent.pid!);
  const c0 = treeUsage(rtsp.pid!);
  const t0 = Date.now();
  measuring = true;
  let peakRss = 0;
  while (Date.now() - t0 < durationS * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    peakRss = Math.max(peakRss, treeUsage(agent.pid!).rssMb);
  }
  const u1 = treeUsage(agent.pid!);
  const c1 = treeUsage(rtsp.pid!);
  const h1 = await health();
  const wall = (Date.now() - t0) / 1000;
  measuring = false;
  await observer.endAsync();
  agent.kill('SIGTERM');
  await new Promise((r) => agent.once('exit', r));
  rtsp.kill('SIGTERM');
  await new Promise((r) => rtsp.once('exit', r));
  const windows = h1.cameras.reduce((a, c, i) => a + c.windows - (h0.cameras[i]?.windows ?? 0), 0);
  const dropped = h1.cameras.reduce((a, c, i) => a + c.dropped - (h0.cameras[i]?.dropped ?? 0), 0);
  return {
    n,
    cpuPct: ((u1.cpuS - u0.cpuS) / wall) * 100,
    simulatorPct: ((c1.cpuS - c0.cpuS) / wall) * 100,
    rssMb: peakRss,
    fpsPerCamera: h1.cameras.reduce((a, c) => a + c.fps, 0) / n,
    online: h1.cameras.filter((c) => c.state === 'online').length,
    windowsPerS: windows / wall,
    droppedPerS: dropped / wall,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    alerts: latencies.length,
  };
}

async function main(): Promise<void> {
  const clip = await ensureClip('fall', join(REPO_ROOT, '.cache', 'bench', 'fall-640x360.mp4'), { width: 640, height: 360, quiet: true });
  const { duration, onset } = scriptedFall();
  console.log(`cameras per agent: 640x360 H.264 RTSP cameras (GStreamer, looping ${clip}: ${duration} s, fall onset at ${onset.toFixed(2)} s), 4 fps analysis, ${seconds} s measured after ${WARMUP_S} s warm-up`);
  console.log(`machine: ${cpus()[0].model} x${cpus().length}, node ${process.version}; model.card: ${model}${noEvents ? '; events disabled' : ''}`);
  console.log('The simulated cameras (GStreamer RTSP server + one ffmpeg feeder each) run on the same 2 cores; their CPU is shown apart.');
  console.log('cameras | agent CPU % (of one core) | CPU %/camera | camera simulator CPU % | peak RSS MB | fps/camera (target 4) | cameras online | windows/s | dropped frames/s | alerts | latency p50 ms | p95 ms');
  for (const n of counts) {
    const r = await runOnce(n, clip, seconds, onset, duration);
    console.log(
      [r.n, r.cpuPct.toFixed(0), (r.cpuPct / r.n).toFixed(1), r.simulatorPct.toFixed(0), r.rssMb.toFixed(0), r.fpsPerCamera.toFixed(2), `${r.online}/${r.n}`, r.windowsPerS.toFixed(1), r.droppedPerS.toFixed(2), r.alerts, r.p50.toFixed(0), r.p95.toFixed(0)].join(' | '),
    );
  }
}

void main();
