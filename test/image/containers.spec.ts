import { execFileSync, spawnSync, type ExecFileSyncOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ensureClip } from '../../scripts/demo-clip';
import { videoSeconds } from '../support/clips';
import { setupAdmin, type ConsoleClient } from '../support/console-session';
import { expectEventMediaShown, waitForKinds, type ApiEvent } from '../support/event-media';
import { freePort, waitFor } from '../support/ports';
import { REPO } from '../support/processes';

jest.setTimeout(600_000);

const COOLDOWN_S = 90;

/**
 * docs/deploy.md, run: the site made from docker/ as an installer would (broker users with the mosquitto image,
 * secrets as files, the site key from `vigil site-key`), started with podman-compose from docker/compose.yaml plus
 * a synthetic RTSP camera, and checked from outside: an event reaches the console in Chromium with its snapshot
 * and clip, the containers run as the image promises, and SIGTERM stops the agent in time without losing an event.
 * `npm run image:test` builds the images first (scripts/image-test.sh).
 */
const PROJECT = 'vigilimagetest';
const SITE = 'yard';
const IMAGE = process.env.VIGIL_IMAGE ?? 'localhost/vigil:cpu';
const env = { ...process.env, CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? join(REPO, 'docker', 'podman', 'containers.conf') };
/** uid of the `vigil` user in the image: secrets it reads are owned by it */
const VIGIL_UID = 10001;

const dir = mkdtempSync(join(tmpdir(), 'vigil-site-'));
let consolePort = 0;
let mqttPort = 0;
let admin: ConsoleClient;
let url = '';
/** seconds of the demo clip the test camera loops */
let demoLoopSeconds = 0;

function run(command: string, args: string[], options: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync(command, args, {
      cwd: dir,
      env: { ...env, VIGIL_CONSOLE_PORT: String(consolePort), VIGIL_MQTT_PORT: String(mqttPort) },
      encoding: 'utf8',
      stdio: 'pipe',
      ...options,
    }) as string;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`.slice(0, 6000));
  }
}
const podman = (...args: string[]) => run('podman', args);
const compose = (...args: string[]) => run('podman-compose', ['-p', PROJECT, '-f', 'compose.yaml', '-f', 'compose.test.yaml', ...args]);
const container = (service: string) => `${PROJECT}_${service}_1`;
/** A container's output, stdout and stderr together. */
function logs(service: string): string {
  const out = spawnSync('podman', ['logs', container(service)], { env, encoding: 'utf8' });
  return `${out.stdout}${out.stderr}`;
}
/** The image run once with `args` (podman run options, then the command), its exit status and stderr. */
function runImage(options: string[], ...command: string[]): { status: number | null; stderr: string } {
  const out = spawnSync('podman', ['run', '--rm', ...options, IMAGE, ...command], { env, encoding: 'utf8' });
  return { status: out.status, stderr: out.stderr };
}
/** What a shell script prints in a throwaway container of the image. */
const inImage = (script: string) => podman('run', '--rm', '--entrypoint', 'sh', IMAGE, '-c', script);
const inspect = (service: string, format: string) => podman('inspect', '--format', format, container(service)).trim();

/** Lines of the agent's JSON log with their time (ms since epoch). */
function agentLog(): Array<{ time: number; msg: string }> {
  return logs('agent')
    .split('\n')
    .flatMap((line) => {
      try {
        const parsed = JSON.parse(line) as { time: number; msg: string };
        return typeof parsed.time === 'number' ? [parsed] : [];
      } catch {
        return [];
      }
    });
}

/** Seconds from the agent container's start to its camera's first frame (the `online` line), as its log says. */
function startToFirstFrame(after: number): number {
  const started = Date.parse(
    inspect('agent', '{{.State.StartedAt}}')
      .replace(/ \+0000 UTC$/, 'Z')
      .replace(' ', 'T'),
  );
  const online = agentLog().find((l) => l.time >= after && /camera "demo-cam": online/.test(l.msg));
  if (!online) throw new Error('the agent logged no first frame');
  return (online.time - started) / 1000;
}

/** The agent's events as its SQLite file holds them, read with the image's own node and better-sqlite3. */
function agentEvents(): Array<{ id: string; kind: string; ended_at: string | null }> {
  const script = `const D = require('/opt/vigil/node_modules/better-sqlite3'); const db = new D('/var/lib/vigil/edge-agent.db');
    console.log(JSON.stringify(db.prepare('SELECT id, kind, ended_at FROM events ORDER BY started_at').all())); db.close();`;
  const out = podman('run', '--rm', '--entrypoint', 'node', '-v', `${PROJECT}_agent-data:/var/lib/vigil`, IMAGE, '-e', script);
  return JSON.parse(out.trim().split('\n').pop()!) as Array<{ id: string; kind: string; ended_at: string | null }>;
}

function secret(name: string, value: string): void {
  const path = join(dir, 'secrets', name);
  writeFileSync(path, value, { mode: 0o600 });
  chownSync(path, VIGIL_UID, VIGIL_UID);
}

afterAll(() => {
  if (process.env.VIGIL_KEEP_SITE) return console.log(`site kept in ${dir}; podman-compose -p ${PROJECT} down -v to remove it`);
  try {
    compose('down', '-v', '-t', '2');
  } catch (err) {
    console.warn((err as Error).message);
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('the container images, deployed as docs/deploy.md says', () => {
  it('should start mosquitto, the agent and the console from docker/compose.yaml with file secrets and the printed site key', async () => {
    [consolePort, mqttPort] = await Promise.all([freePort(), freePort()]);
    // a site left by VIGIL_KEEP_SITE or a killed run goes first: `up` would reuse its containers and volumes
    const label = `label=io.podman.compose.project=${PROJECT}`;
    for (const id of podman('ps', '-aq', '--filter', label).split('\n').filter(Boolean)) podman('rm', '-f', '-t', '2', id);
    for (const name of podman('volume', 'ls', '-q', '--filter', label).split('\n').filter(Boolean)) podman('volume', 'rm', '-f', name);
    for (const file of ['compose.yaml', 'mosquitto.conf', 'mosquitto.acl']) copyFileSync(join(REPO, 'docker', file), join(dir, file));
    copyFileSync(join(REPO, 'test', 'image', 'compose.test.yaml'), join(dir, 'compose.test.yaml'));
    mkdirSync(join(dir, 'site'));
    mkdirSync(join(dir, 'secrets'), { mode: 0o700 });
    chownSync(join(dir, 'secrets'), VIGIL_UID, VIGIL_UID);
    mkdirSync(join(dir, 'clips'));
    await ensureClip('demo', join(REPO, 'var', 'demo', 'demo.mp4'));
    copyFileSync(join(REPO, 'var', 'demo', 'demo.mp4'), join(dir, 'clips', 'demo.mp4'));
    demoLoopSeconds = videoSeconds(join(dir, 'clips', 'demo.mp4'));

    // broker users, made with the mosquitto image's own mosquitto_passwd
    const [agentPassword, consolePassword, token] = [16, 16, 24].map((n) => randomBytes(n).toString('base64url'));
    const passwd = (user: string, password: string, create: boolean) =>
      podman(
        'run',
        '--rm',
        '-v',
        `${dir}:/w`,
        'docker.io/library/eclipse-mosquitto:2',
        'mosquitto_passwd',
        ...(create ? ['-c'] : []),
        '-b',
        '/w/passwd',
        user,
        password,
      );
    passwd('console', consolePassword, true);
    passwd(SITE, agentPassword, false);
    chmodSync(join(dir, 'passwd'), 0o644);
    secret('agent-mqtt-password', agentPassword);
    secret('console-mqtt-password', consolePassword);
    secret('agent-token', token);

    // the shipped templates, with this site's id and its synthetic camera (a stick figure: falls by the video model)
    const site = parseDocument(readFileSync(join(REPO, 'docker', 'site', 'site.yaml'), 'utf8'));
    site.setIn(['site', 'id'], SITE);
    site.setIn(['mqtt', 'username'], SITE);
    site.set('cameras', [{ id: 'demo-cam', name: 'Demo camera', url: 'rtsp://camera:8554/demo' }]);
    site.set('model', { fall: 'video' });
    site.set('events', { fall: { cooldownSeconds: COOLDOWN_S }, fire: { cooldownSeconds: COOLDOWN_S }, smoke: { cooldownSeconds: COOLDOWN_S } });
    writeFileSync(join(dir, 'site', 'site.yaml'), site.toString());

    const printed = compose('run', '--rm', '--no-deps', 'agent', 'site-key', '--config', '/etc/vigil/site.yaml');
    const key = printed
      .split('\n')
      .find((line) => /^ed25519:\S+$/.test(line.trim()))
      ?.trim();
    if (!key) throw new Error(`vigil site-key printed no key:\n${printed}`);

    const consoleFile = parseDocument(readFileSync(join(REPO, 'docker', 'site', 'console.yaml'), 'utf8'));
    consoleFile.setIn(['mqtt', 'siteKeys'], { [SITE]: [key] });
    consoleFile.set('agents', { [SITE]: { url: 'http://agent:8081', token: '${AGENT_TOKEN}' } });
    writeFileSync(join(dir, 'site', 'console.yaml'), consoleFile.toString());

    const before = Date.now();
    compose('up', '-d');
    url = `http://127.0.0.1:${consolePort}/`;
    await waitFor(
      () => `the console at ${url}; agent log:\n${logs('agent').slice(-3000)}\nconsole log:\n${logs('console').slice(-3000)}`,
      async () => (await fetch(`${url}health`).catch(() => undefined))?.ok,
      90_000,
      500,
    );
    await waitFor(
      () => `the agent's first frame; its log:\n${logs('agent').slice(-3000)}`,
      () => agentLog().some((l) => /online/.test(l.msg)),
      90_000,
      500,
    );
    console.log(`compose up -> first frame: ${((agentLog().find((l) => /online/.test(l.msg))!.time - before) / 1000).toFixed(1)} s`);
  });

  it('should show an event in the console in Chromium with its snapshot and clip, served from the agent container', async () => {
    const code = await waitFor('the setup code in the console log', () => /setup code ([A-Z0-9]{5}-[A-Z0-9]{5})/.exec(logs('console'))?.[1], 30_000, 500);
    admin = await setupAdmin(url, code);
    const events = await waitForKinds(admin, ['fall', 'fire'], () => `agent log:\n${logs('agent').slice(-4000)}`, 120_000, 1000);
    expect(events.every((e) => e.site === SITE)).toBe(true);
    await expectEventMediaShown(admin, url, events);
  });

  it('should run as the vigil user on a read-only root filesystem with tini as PID 1, and pass its HEALTHCHECK', () => {
    for (const service of ['agent', 'console']) {
      expect(podman('exec', container(service), 'id', '-u').trim()).toBe(String(VIGIL_UID));
      expect(podman('exec', container(service), 'cat', '/proc/1/comm').trim()).toBe('tini');
      expect(inspect(service, '{{.HostConfig.ReadonlyRootfs}}')).toBe('true');
      expect(() => podman('exec', container(service), 'touch', '/opt/vigil/written')).toThrow(/Read-only file system/);
      podman('exec', container(service), 'touch', '/var/lib/vigil/written');
      // podman runs the image's HEALTHCHECK on demand: exit 0 is healthy
      expect(() => podman('healthcheck', 'run', container(service))).not.toThrow();
    }
    // secrets by file: NAME_FILE becomes NAME; a file that is not there, or both set, is a clear error
    const both = runImage(['-e', 'AGENT_TOKEN=x', '-e', 'AGENT_TOKEN_FILE=/run/secrets/t'], 'health');
    expect([both.status, both.stderr]).toEqual([2, expect.stringContaining('both AGENT_TOKEN and AGENT_TOKEN_FILE are set; keep one')]);
    const missing = runImage(['-e', 'AGENT_TOKEN_FILE=/run/secrets/t'], 'health');
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringContaining('AGENT_TOKEN_FILE names /run/secrets/t, which cannot be read')]);
    // nothing the runtime does not need
    const listing = inImage('ls /opt/vigil /opt/vigil/dist; command -v g++ make python3 || true; ls /opt/vigil/node_modules/onnxruntime-node/bin/napi-v6');
    expect(listing).not.toMatch(/\b(test|bench|g\+\+|make|python3|darwin|win32)\b/);
    const devOnly = inImage('cd /opt/vigil/node_modules && ls -d jest typescript eslint playwright-core @tensorflow/* @swc/* 2>/dev/null || true');
    expect(devOnly.trim()).toBe('');
  });

  it('should stop the agent on SIGTERM within 10 s, exit 0, and deliver every event it stored once it is back', async () => {
    // the worst moment: an event open, its clip still recording; if every event has just ended, the next one opens
    // after the cooldown, within the next loops of the demo clip
    const nextEventMs = (COOLDOWN_S + 2 * demoLoopSeconds) * 1000;
    await waitFor('an open event', async () => (await admin.get<{ events: ApiEvent[] }>('/api/events?state=active')).events[0], nextEventMs, 250);
    const stopAt = Date.now();
    podman('stop', '-t', '10', container('agent'));
    const stopSeconds = (Date.now() - stopAt) / 1000;
    console.log(`podman stop agent: ${stopSeconds.toFixed(1)} s`);
    expect(stopSeconds).toBeLessThan(10);
    expect(inspect('agent', '{{.State.ExitCode}}')).toBe('0');
    expect(agentLog().some((l) => l.time >= stopAt && /stopped in \d+ ms/.test(l.msg))).toBe(true);

    const stored = agentEvents();
    expect(stored.length).toBeGreaterThanOrEqual(2);
    const restartAt = Date.now();
    podman('start', container('agent'));
    await waitFor(
      () => `the agent's first frame after restart; its log:\n${logs('agent').slice(-3000)}`,
      () => agentLog().some((l) => l.time >= restartAt && /online/.test(l.msg)),
      60_000,
      250,
    );
    console.log(`agent container start -> first frame: ${startToFirstFrame(restartAt).toFixed(1)} s`);

    // every event the agent had stored reaches the console, ended where the agent ended it (or at the restart)
    await waitFor(
      () => `all ${stored.length} stored events in the console, ended`,
      async () => {
        for (const event of stored) {
          const seen = await admin.get<ApiEvent & { endedAt: string | null }>(`/api/events/${event.id}`).catch(() => undefined);
          if (!seen || !seen.endedAt) return false;
        }
        return true;
      },
      90_000,
      1000,
    );
  });
});
