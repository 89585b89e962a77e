import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Views } from '@vigil/model';
import { REPO_ROOT } from '../scripts/demo-clip';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface SimulatedSite {
  /** The GStreamer RTSP server serving `cam0..camN-1`; its stdout carries `READY`, `MEDIA <mount> <ms>` and, with `mark`, `MARK <mount> <ms>`. */
  rtsp: ChildProcess;
  /** A site file for one agent watching every camera, with its embedded broker and a temp data folder. */
  config: string;
  mqttPort: number;
  httpPort: number;
  /** A reader of the embedded broker (its users file is written before the agent starts). */
  mqttReader: { username: string; password: string };
  /** Headers for the agent's HTTP (everything but /health needs its token). */
  auth: { authorization: string };
}

/** N looping copies of `clip` as RTSP cameras on 127.0.0.1 and the site file of an agent that watches them. */
export interface SiteOptions {
  extraMqtt?: string;
  events?: boolean;
  model?: string;
  /** model.hop of the agent (default: the card's). */
  hop?: number;
  /** model.views of the agent (default: the card's). */
  views?: Views;
  /** Print `MARK` when the frame `at` seconds into each `period`-second loop leaves the server (a scripted onset). */
  mark?: { at: number; period: number };
  /** The fall rule's cooldown (default 5 s: a fall event on every camera on every loop of the clip). */
  fallCooldownSeconds?: number;
  /** model.fall of the agent (default: the agent's, pose). */
  fall?: 'pose' | 'video';
  /** The fall rule's threshold (default: the card's). */
  fallThreshold?: number;
  /** model.confirm of the agent: off, or the confirming card (default: the agent's). */
  confirm?: string;
  /** model.confirm.gate (default: the confirming card's). */
  gate?: number;
  /** model.poseMotionGate (default: the agent's). */
  poseMotionGate?: number;
}

/** The site file's model line for these options. */
function modelLine(o: SiteOptions): string {
  const fields = [`card: ${o.model ?? 'builtin'}`];
  if (o.hop) fields.push(`hop: ${o.hop}`);
  if (o.views) fields.push(`views: ${o.views}`);
  if (o.fall) fields.push(`fall: ${o.fall}`);
  if (o.confirm === 'off') fields.push('confirm: false');
  else if (o.confirm !== undefined || o.gate !== undefined)
    fields.push(`confirm: { card: ${o.confirm ?? 'builtin-tiles'}${o.gate !== undefined ? `, gate: ${o.gate}` : ''} }`);
  if (o.poseMotionGate !== undefined) fields.push(`poseMotionGate: ${o.poseMotionGate}`);
  return `model: { ${fields.join(', ')} }`;
}

export async function simulatedSite(site: string, n: number, clip: string, options: SiteOptions = {}): Promise<SimulatedSite> {
  const dir = mkdtempSync(join(tmpdir(), `vigil-${site}-${n}-`));
  const [rtspPort, mqttPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  const mounts = Array.from({ length: n }, (_, i) => `cam${i}=${clip}`);
  const mark = options.mark ? ['--mark', String(options.mark.at), '--period', String(options.mark.period)] : [];
  const rtsp = spawn('/usr/bin/python3', [join(REPO_ROOT, 'scripts', 'rtsp-server.py'), '--port', String(rtspPort), ...mark, ...mounts], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const config = join(dir, 'site.yaml');
  const mqttReader = { username: 'console', password: 'bench-reader-password' };
  const token = 'bench-agent-token-0123456789';
  writeFileSync(
    join(dir, 'mqtt-users.json'),
    JSON.stringify({
      users: [
        { username: site, password: 'bench-agent-password', role: 'agent', site },
        { ...mqttReader, role: 'reader' },
      ],
    }),
    { mode: 0o600 },
  );
  writeFileSync(
    config,
    [
      `site: { id: ${site} }`,
      'cameras:',
      ...Array.from({ length: n }, (_, i) => `  - { id: cam${i}, url: "rtsp://127.0.0.1:${rtspPort}/cam${i}" }`),
      // no console here: delivery ends at the broker (mqtt.endToEndAcks off), as on a site without one
      `mqtt: { url: "mqtt://127.0.0.1:${mqttPort}", endToEndAcks: false, embeddedBroker: { enabled: true, port: ${mqttPort} }${options.extraMqtt ?? ''} }`,
      modelLine(options),
      `storage: { path: "${join(dir, 'agent.db')}" }`,
      `media: { dir: "${join(dir, 'media')}" }`,
      `http: { port: ${httpPort}, token: "${token}" }`,
      options.events === false
        ? 'events: { fall: { enabled: false }, fire: { enabled: false }, smoke: { enabled: false } }'
        : `events: { fall: { cooldownSeconds: ${options.fallCooldownSeconds ?? 5}, clearWindows: 2${options.fallThreshold ? `, threshold: ${options.fallThreshold}` : ''} } }`,
      'logging: { level: warn }',
      '',
    ].join('\n'),
  );
  return { rtsp, config, mqttPort, httpPort, mqttReader, auth: { authorization: `Bearer ${token}` } };
}
