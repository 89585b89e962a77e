/**
 * Cameras per agent on this box: N generated 640x360 RTSP cameras (the project's fall clip, looping) into one
 * edge agent at 4 fps analysis. Per N: agent CPU (agent + its ffmpeg children) and RSS, analysed fps per camera,
 * dropped frames, and alert latency from the moment the simulator sends the clip's scripted fall onset to the
 * `new` message on MQTT, split at the frame that decided the alert (its arrival time in the agent is in the message).
 *
 * With `--baseline`, each N is also run bare on the same simulated cameras: one plain ffmpeg per camera (decode,
 * 4 fps, 96x96 RGB) into onnxruntime-node scoring every window with the card's window graph, nothing else; the
 * agent's CPU is reported against it as a ratio.
 *
 *   npm run bench:cameras [-- --cameras 1,4,8,16,32,48 --seconds 30 --no-events --card builtin-stream --hop 1 --baseline --fall video --views tiles
 *                            --confirm off|builtin-tiles --gate 0.93 --pose-gate 6]
 *
 * `--fall pose` (the agent's default) runs the pose stage beside the video model; the clip's rendered figure scores
 * lower than a real person, so its fall rule opens at 0.5 here: the bench measures time and cost, not accuracy.
 * `--confirm` and `--gate` set model.confirm (the fire and smoke cascade; `off` runs the window model alone) and
 * `--pose-gate` model.poseMotionGate; the report counts the windows the confirming model saw. How many windows
 * pass the gate depends on the footage: the rendered clip is no measure of a real camera's (docs/model.md).
 */
import type { EventMessage } from '@vigil/contracts';
import { loadModelCard, resolveModelCard, toPixelValues, type RgbImage, type Views } from '@vigil/model';
import mqtt from 'mqtt';
import * as ort from 'onnxruntime-node';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { agentEnv } from '../scripts/agent-env';
import { ensureClip, REPO_ROOT } from '../scripts/demo-clip';
import { benchOptions } from './options';
import { writeResult, type CamerasResult } from './results';
import { treeUsage } from './proc-stats';
import { simulatedSite } from './simulated-site';

const options = benchOptions(
  'Usage: npm run bench:cameras [-- --cameras 1,4,8,16,32,48 --seconds 30 --no-events --card builtin|builtin-stream|<card.json> --hop 1 --baseline --fall pose|video --views whole|tiles --confirm off|builtin-tiles|<card.json> --gate N --pose-gate N --json <file>]',
  {
    cameras: { type: 'string' },
    seconds: { type: 'string' },
    'no-events': { type: 'boolean' },
    card: { type: 'string' },
    hop: { type: 'string' },
    baseline: { type: 'boolean' },
    fall: { type: 'string' },
    views: { type: 'string' },
    confirm: { type: 'string' },
    gate: { type: 'string' },
    'pose-gate': { type: 'string' },
    json: { type: 'string' },
  },
);
const counts = options.numbers('cameras', [1, 4, 8, 16, 32, 48]);
const seconds = options.number('seconds', 30);
/** Scores only, no events: separates the cost of watching from the cost of a fall on every camera every 12 s. */
const noEvents = options.flag('no-events');
/** builtin (the window model), builtin-stream (the streaming student) or a card path. */
const cardOption = options.string('card', 'builtin');
/** model.hop for the agent (default: the card's). */
const hop = options.optionalNumber('hop');
const WARMUP_S = 12;
const baseline = options.flag('baseline');
/** model.fall of the agent: pose (the default) or video. */
const fall = options.string('fall', 'pose') as 'pose' | 'video';
/** --json <file>: the figures as JSON too, for npm run bench:plot. */
const jsonOut = options.string('json');
/** model.views of the agent (default: the card's); the baseline always scores the whole picture. */
const views = options.string('views') as Views | undefined;
if (views !== undefined && !['whole', 'tiles'].includes(views)) throw new Error(`--views must be whole or tiles, got "${views}"`);
if (!['pose', 'video'].includes(fall)) throw new Error(`--fall must be pose or video, got "${fall}"`);
/** model.confirm (default: the agent's) and its gate; model.poseMotionGate. */
const confirm = options.string('confirm');
const gate = options.optionalNumber('gate');
const poseMotionGate = options.optionalNumber('pose-gate');

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

/** Wall-clock time of the window that opened the event: its start plus the last point of its timeline. */
function decidedAt(m: EventMessage): number {
  const last = m.after.timeline?.at(-1);
  return Date.parse(m.after.startedAt) + (last ? last[0] * 1000 : 0);
}

async function runOnce(n: number, clip: string, durationS: number, onsetS: number, clipSeconds: number) {
  const { rtsp, config, mqttPort, httpPort, mqttReader } = await simulatedSite('bench', n, clip, {
    extraMqtt: ', homeAssistant: { discovery: false }',
    events: !noEvents,
    model: cardOption,
    hop,
    views,
    confirm,
    gate,
    poseMotionGate,
    mark: { at: onsetS, period: clipSeconds },
    fallCooldownSeconds: 0,
    fall,
    fallThreshold: fall === 'pose' ? 0.5 : undefined,
  });
  // when each camera last sent its scripted onset (the simulator's start-up delay varies by seconds, so not the loop start)
  const onsetSent = new Map<string, number>();
  rtsp.stdout!.on('data', (d: Buffer) => {
    for (const m of d.toString().matchAll(/MARK (\S+) (\d+)/g)) onsetSent.set(m[1], Number(m[2]));
  });
  await waitLine(rtsp, /READY/, 15_000);
  const agent = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'apps', 'edge-agent', 'src', 'main.js'), '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: agentEnv(),
  });
  let agentLog = '';
  const keep = (d: Buffer) => (agentLog = (agentLog + d.toString()).slice(-4000));
  agent.stderr!.on('data', keep);
  agent.stdout!.on('data', keep);
  agent.once('exit', (code) => code !== null && code !== 0 && console.error(`agent for ${n} cameras exited with ${code}: ${agentLog.slice(-1500)}`));
  // the agent is up when its HTTP port answers
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://127.0.0.1:${httpPort}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const observer = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { clientId: 'bench-observer', ...mqttReader });
  const latencies: number[] = [];
  const afterDecision: number[] = [];
  // a fall alert more than this after the onset answers something else: the clip's loop seam (a person lying
  // jumps back to standing) fools some models; with no cooldown it cannot hide the next real fall
  const matchS = Math.min(6, clipSeconds - onsetS - 0.5);
  let otherAlerts = 0;
  let measuring = false;
  observer.on('message', (_t, payload) => {
    const m = JSON.parse(payload.toString()) as EventMessage;
    if (!measuring || m.type !== 'new' || m.after.kind !== 'fall') return;
    const sent = onsetSent.get(m.after.camera.id);
    if (sent === undefined) return;
    const now = Date.now();
    if (now - sent > matchS * 1000) {
      otherAlerts++;
      return;
    }
    latencies.push(now - sent);
    afterDecision.push(now - decidedAt(m));
  });
  await observer.subscribeAsync('vigil/bench/events', { qos: 1 });
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const health = async () =>
    (await (await fetch(`http://127.0.0.1:${httpPort}/health`)).json()) as {
      cameras: Array<{ fps: number; dropped: number; windows: number; state: string }>;
      cascade?: { windows: number; confirmed: number };
    };
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
  const confirmed = h1.cascade && h0.cascade ? (h1.cascade.confirmed - h0.cascade.confirmed) / wall : undefined;
  return {
    n,
    cpuPct: ((u1.cpuS - u0.cpuS) / wall) * 100,
    simulatorPct: ((c1.cpuS - c0.cpuS) / wall) * 100,
    rssMb: peakRss,
    fpsPerCamera: h1.cameras.reduce((a, c) => a + c.fps, 0) / n,
    online: h1.cameras.filter((c) => c.state === 'online').length,
    windowsPerS: windows / wall,
    droppedPerS: dropped / wall,
    confirmedPerS: confirmed,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    agentP50: percentile(afterDecision, 0.5),
    agentP95: percentile(afterDecision, 0.95),
    alerts: latencies.length,
    otherAlerts,
  };
}

/** The same cameras, bare: plain ffmpeg decode to 96x96 RGB at 4 fps and onnxruntime on every window, no agent. */
async function runBare(n: number, clip: string, durationS: number) {
  const { rtsp } = await simulatedSite('bare', n, clip);
  const url = await waitLine(rtsp, /READY \S+/, 15_000);
  const base = url.slice('READY '.length).replace(/cam0$/, '');
  const { card, onnxPath } = loadModelCard(resolveModelCard(cardOption));
  const { frames: t, width: w, height: h, fps } = card.input;
  const session = await ort.InferenceSession.create(onnxPath, { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'] });
  let queue: Promise<unknown> = Promise.resolve();
  let windows = 0;
  let stopping = false;
  const decoders = Array.from({ length: n }, (_, i) => {
    const ff = spawn(
      'ffmpeg',
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-rtsp_transport',
        'tcp',
        '-i',
        `${base}cam${i}`,
        '-an',
        '-vf',
        `fps=${fps},scale=${w}:${h}`,
        '-pix_fmt',
        'rgb24',
        '-f',
        'rawvideo',
        'pipe:1',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const size = w * h * 3;
    let pending = Buffer.alloc(0);
    const held: RgbImage[] = [];
    let sinceLast = 0;
    ff.stdout.on('data', (d: Buffer) => {
      pending = Buffer.concat([pending, d]);
      while (pending.length >= size) {
        held.push({ data: new Uint8Array(pending.subarray(0, size)), width: w, height: h });
        pending = pending.subarray(size);
        if (held.length > t) held.shift();
        if (!stopping && held.length === t && ++sinceLast >= (hop ?? card.window.hop)) {
          sinceLast = 0;
          const input = new ort.Tensor('float32', toPixelValues(held, card), [1, t, 3, h, w]);
          queue = queue.then(() => session.run({ [card.input.name]: input })).then(() => windows++);
        }
      }
    });
    return ff;
  });
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  // this process and its ffmpeg children, less the simulator (also our child)
  const usage = () => treeUsage(process.pid).cpuS - treeUsage(rtsp.pid!).cpuS;
  const u0 = usage();
  const w0 = windows;
  const t0 = Date.now();
  let peakRss = 0;
  while (Date.now() - t0 < durationS * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    peakRss = Math.max(peakRss, decoders.reduce((a, d) => a + treeUsage(d.pid!).rssMb, 0) + process.memoryUsage().rss / 1e6);
  }
  const wall = (Date.now() - t0) / 1000;
  const cpuPct = ((usage() - u0) / wall) * 100;
  const windowsPerS = (windows - w0) / wall;
  stopping = true;
  for (const d of decoders) d.kill('SIGKILL');
  await queue;
  await session.release();
  rtsp.kill('SIGTERM');
  await new Promise((r) => rtsp.once('exit', r));
  return { cpuPct, windowsPerS, rssMb: peakRss };
}

async function main(): Promise<void> {
  const clip = await ensureClip('fall', join(REPO_ROOT, '.cache', 'bench', 'fall-640x360.mp4'), { width: 640, height: 360, quiet: true });
  const { duration, onset } = scriptedFall();
  console.log(
    `cameras per agent: 640x360 H.264 RTSP cameras (GStreamer, looping ${clip}: ${duration} s, fall onset at ${onset.toFixed(2)} s), 4 fps analysis, ${seconds} s measured after ${WARMUP_S} s warm-up`,
  );
  console.log(
    `machine: ${cpus()[0].model} x${cpus().length}, node ${process.version}; model.card: ${cardOption}, model.fall: ${fall}${fall === 'pose' ? ' (fall threshold 0.5 for the rendered figure)' : ''}${hop ? `, model.hop: ${hop}` : ''}${views ? `, model.views: ${views}` : ''}${confirm ? `, model.confirm: ${confirm}` : ''}${gate !== undefined ? `, gate ${gate}` : ''}${poseMotionGate !== undefined ? `, model.poseMotionGate: ${poseMotionGate}` : ''}${noEvents ? '; events disabled' : ''}`,
  );
  console.log('The simulated cameras (GStreamer RTSP server + one ffmpeg feeder each) run on the same 2 cores; their CPU is shown apart.');
  console.log(
    'Latency: onset sent by the simulator -> `new` on MQTT, for fall alerts within 6 s of an onset (others are counted apart); "after decision": from the arrival in the agent of the frame that completed the deciding window. Fall cooldown 0.',
  );
  console.log(
    'cameras | agent CPU % (of one core) | CPU %/camera | camera simulator CPU % | peak RSS MB | fps/camera (target 4) | cameras online | windows/s | confirmed windows/s | dropped frames/s | alerts after an onset | other fall alerts | latency p50 ms | p95 ms | after decision p50 ms | p95 ms',
  );
  const rows: Array<{ n: number; cpuPct: number; windowsPerS: number }> = [];
  const result: CamerasResult = {
    bench: 'cameras',
    date: new Date().toISOString(),
    machine: `${cpus()[0].model} x${cpus().length}, node ${process.version}`,
    model: {
      card: cardOption,
      fall,
      ...(hop ? { hop } : {}),
      ...(views ? { views } : {}),
      ...(confirm ? { confirm } : {}),
      ...(gate !== undefined ? { gate } : {}),
      ...(poseMotionGate !== undefined ? { poseMotionGate } : {}),
    },
    rows: [],
  };
  for (const n of counts) {
    const r = await runOnce(n, clip, seconds, onset, duration);
    rows.push(r);
    result.rows.push({
      cameras: r.n,
      agentCpuPct: r.cpuPct,
      simulatorCpuPct: r.simulatorPct,
      peakRssMb: r.rssMb,
      fpsPerCamera: r.fpsPerCamera,
      online: r.online,
      windowsPerS: r.windowsPerS,
      droppedPerS: r.droppedPerS,
      ...(r.confirmedPerS === undefined ? {} : { confirmedPerS: r.confirmedPerS }),
      alerts: r.alerts,
      otherAlerts: r.otherAlerts,
      latencyP50Ms: r.p50,
      latencyP95Ms: r.p95,
      afterDecisionP50Ms: r.agentP50,
      afterDecisionP95Ms: r.agentP95,
    });
    console.log(
      [
        r.n,
        r.cpuPct.toFixed(0),
        (r.cpuPct / r.n).toFixed(1),
        r.simulatorPct.toFixed(0),
        r.rssMb.toFixed(0),
        r.fpsPerCamera.toFixed(2),
        `${r.online}/${r.n}`,
        r.windowsPerS.toFixed(1),
        r.confirmedPerS === undefined ? '-' : r.confirmedPerS.toFixed(1),
        r.droppedPerS.toFixed(2),
        r.alerts,
        r.otherAlerts,
        r.p50.toFixed(0),
        r.p95.toFixed(0),
        r.agentP50.toFixed(0),
        r.agentP95.toFixed(0),
      ].join(' | '),
    );
  }
  if (!baseline) return writeResult(jsonOut, result);
  console.log(
    "\nBaseline on the same cameras: plain ffmpeg decode (4 fps, model size, RGB) + bare onnxruntime on every window of the card's window graph; no preview, events, storage or MQTT",
  );
  console.log('cameras | agent CPU % | bare CPU % | ratio agent / bare | agent windows/s | bare windows/s | bare peak RSS MB');
  for (const [i, r] of rows.entries()) {
    const b = await runBare(r.n, clip, seconds);
    result.rows[i].bare = { cpuPct: b.cpuPct, windowsPerS: b.windowsPerS, peakRssMb: b.rssMb };
    console.log(
      [
        r.n,
        r.cpuPct.toFixed(0),
        b.cpuPct.toFixed(0),
        (r.cpuPct / b.cpuPct).toFixed(2),
        r.windowsPerS.toFixed(1),
        b.windowsPerS.toFixed(1),
        b.rssMb.toFixed(0),
      ].join(' | '),
    );
  }
  writeResult(jsonOut, result);
}

void main();
