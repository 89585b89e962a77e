/**
 * Bounded soak: N looping RTSP cameras into one agent for M minutes, sampling the agent's RSS (with its ffmpeg
 * children), open file descriptors, children and outbox depth. Ends with the RSS trend of the second half, which
 * must stay flat (a leak shows as a steady climb).
 *
 *   npm run soak [-- --cameras 16 --minutes 30 --every 30 --no-events]
 *
 * `--no-events` turns the fall, fire and smoke rules off: the cameras are watched and scored, but no event,
 * snapshot, clip, SQLite row or MQTT message is made. Comparing the two runs says whether growth is in watching
 * or in the event path.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { agentEnv } from '../scripts/agent-env';
import { ensureClip, REPO_ROOT } from '../scripts/demo-clip';
import { benchOptions } from './options';
import { childrenByParent, procStat, residentByKind } from './proc-stats';
import { simulatedSite } from './simulated-site';

const options = benchOptions('Usage: npm run soak [-- --cameras 16 --minutes 30 --every 30 --no-events]', {
  cameras: { type: 'string' },
  minutes: { type: 'string' },
  every: { type: 'string' },
  'no-events': { type: 'boolean' },
});
const cameras = options.number('cameras', 16);
const minutes = options.number('minutes', 30);
const everyS = options.number('every', 30);
const noEvents = options.flag('no-events');

function sample(pid: number): { rssMb: number; agentRssMb: number; fds: number; children: number } {
  const kids = childrenByParent().get(pid) ?? [];
  const rss = (p: number) => {
    try {
      return procStat(p).rssMb;
    } catch {
      return 0;
    }
  };
  const agentRssMb = rss(pid);
  return { rssMb: agentRssMb + kids.reduce((a, k) => a + rss(k), 0), agentRssMb, fds: readdirSync(`/proc/${pid}/fd`).length, children: kids.length };
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return den ? num / den : 0;
}

async function main(): Promise<void> {
  const clip = await ensureClip('fall', join(REPO_ROOT, '.cache', 'bench', 'fall-640x360.mp4'), { width: 640, height: 360, quiet: true });
  const { rtsp, config, httpPort, auth } = await simulatedSite('soak', cameras, clip, { events: !noEvents });
  rtsp.stdout!.resume();
  await new Promise((r) => setTimeout(r, 2000));
  const agent = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'apps', 'edge-agent', 'src', 'main.js'), '--config', config], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: agentEnv(),
  });
  console.log(
    `soak: ${cameras} cameras x ${minutes} min${noEvents ? ', events off' : ''}, sample every ${everyS} s; ${cpus()[0].model} x${cpus().length}, node ${process.version}`,
  );
  console.log(
    'minute | RSS MB (agent + ffmpeg) | agent RSS MB | malloc heap MB | other anonymous MB | JS heap used MB | external MB | open fds | children | windows | outbox pending | clips waiting',
  );
  const started = Date.now();
  const xs: number[] = [];
  const ys: number[] = [];
  while (Date.now() - started < minutes * 60_000) {
    await new Promise((r) => setTimeout(r, everyS * 1000));
    const s = sample(agent.pid!);
    const kinds = residentByKind(agent.pid!);
    const health = (await fetch(`http://127.0.0.1:${httpPort}/health`)
      .then((r) => r.json())
      .catch(() => ({}))) as { cameras?: Array<{ windows: number }>; mqtt?: { outboxPending: number } };
    const metrics = await fetch(`http://127.0.0.1:${httpPort}/metrics`, { headers: auth })
      .then((r) => r.text())
      .catch(() => '');
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? NaN) / 1e6;
    const minute = (Date.now() - started) / 60_000;
    xs.push(minute);
    ys.push(s.agentRssMb);
    const windows = health.cameras?.reduce((a, c) => a + c.windows, 0) ?? 0;
    console.log(
      `${minute.toFixed(1)} | ${s.rssMb.toFixed(0)} | ${s.agentRssMb.toFixed(0)} | ${kinds.mallocHeapMb.toFixed(0)} | ${kinds.anonymousMb.toFixed(0)} | ${gauge('vigil_agent_nodejs_heap_size_used_bytes').toFixed(0)} | ${gauge('vigil_agent_nodejs_external_memory_bytes').toFixed(0)} | ${s.fds} | ${s.children} | ${windows} | ${health.mqtt?.outboxPending ?? '?'} | ${gauge('vigil_clip_queue') * 1e6}`,
    );
  }
  const half = Math.floor(xs.length / 2);
  const trend = slope(xs.slice(half), ys.slice(half)) * 60;
  console.log(`agent RSS trend over the second half: ${trend.toFixed(1)} MB/hour (flat is within a few MB/hour)`);
  agent.kill('SIGTERM');
  await new Promise((r) => agent.once('exit', r));
  rtsp.kill('SIGTERM');
}

void main();
