/**
 * `npm start`: the whole system on one machine with embedded defaults. Renders the synthetic demo clip (once),
 * serves it as a looping RTSP camera, then runs the edge agent (with its embedded MQTT broker) and the console.
 *
 *   npm start -- [--console-port 8080] [--agent-port 8081] [--mqtt-port 1883] [--rtsp-port 8554] [--data-dir var]
 */
import { readCommandLine, UsageError } from '@vigil/config';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { loadSiteConfig } from '../apps/edge-agent/src/config/load-site-config';
import { CONSOLE_USER, openBrokerUsers } from '../apps/edge-agent/src/mqtt/broker-users';
import { AgentToken } from '../apps/edge-agent/src/security/agent-token';
import { secretPaths } from '../apps/edge-agent/src/security/secret-paths';
import { SiteKey } from '../apps/edge-agent/src/security/site-key';
import { agentEnv } from './agent-env';
import { ensureClip, PYTHON, REPO_ROOT } from './demo-clip';

interface Options {
  consolePort: number;
  agentPort: number;
  mqttPort: number;
  rtspPort: number;
  dataDir: string;
}

const HELP = `Usage: npm start -- [--console-port 8080] [--agent-port 8081] [--mqtt-port 1883] [--rtsp-port 8554] [--data-dir var]`;

function parseOptions(argv: string[]): Options {
  let values;
  try {
    values = readCommandLine(
      argv,
      {
        'console-port': { type: 'string' },
        'agent-port': { type: 'string' },
        'mqtt-port': { type: 'string' },
        'rtsp-port': { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      HELP,
    ).values;
  } catch (err) {
    if (err instanceof UsageError) fail(err.message);
    throw err;
  }
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const port = (flag: 'console-port' | 'agent-port' | 'mqtt-port' | 'rtsp-port', fallback: number) => {
    const text = values[flag];
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > 65535) fail(`--${flag} needs a TCP port number (1-65535), got "${text}"`);
    return value;
  };
  return {
    consolePort: port('console-port', 8080),
    agentPort: port('agent-port', 8081),
    mqttPort: port('mqtt-port', 1883),
    rtspPort: port('rtsp-port', 8554),
    dataDir: values['data-dir'] ?? 'var',
  };
}

function fail(message: string): never {
  console.error(`vigil: ${message}`);
  process.exit(2);
}

function checkPrerequisites(): void {
  const missing: string[] = [];
  if (spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status !== 0) missing.push('ffmpeg');
  const gi = spawnSync(PYTHON, ['-c', "import gi, numpy; gi.require_version('GstRtspServer', '1.0')"], { stdio: 'ignore' });
  if (gi.status !== 0) missing.push('python3-gi python3-numpy gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-{base,good,bad}');
  if (missing.length) {
    fail(
      `the demo needs ${missing.join(' and ')}.\nOn Debian/Ubuntu: sudo apt-get install -y ffmpeg python3-gi python3-numpy gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad`,
    );
  }
}

const COLORS: Record<string, string> = { camera: '36', agent: '33', console: '35' };
const children: Array<{ name: string; proc: ChildProcess }> = [];
let stopping = false;

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void): ChildProcess {
  const proc = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const tag = process.stdout.isTTY ? `\x1b[${COLORS[name]}m${name.padEnd(7)}\x1b[0m |` : `${name.padEnd(7)} |`;
  for (const stream of [proc.stdout!, proc.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      process.stdout.write(`${tag} ${line}\n`);
      onLine?.(line);
    });
  }
  proc.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`vigil: ${name} exited (${signal ?? `code ${code}`}); stopping the demo`);
      void shutdown(1);
    }
  });
  children.push({ name, proc });
  return proc;
}

function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      if (stopping) return;
      if (await Promise.resolve(check()).catch(() => false)) return resolve();
      if (Date.now() > deadline) return reject(new Error(`${what} did not come up within ${timeoutMs / 1000} s`));
      setTimeout(tick, 250);
    };
    void tick();
  });
}

async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  return res.ok;
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const { proc } of [...children].reverse()) if (proc.exitCode === null) proc.kill('SIGTERM');
  const exited = children.map(({ proc }) => (proc.exitCode === null ? new Promise((r) => proc.once('exit', r)) : Promise.resolve()));
  const timer = setTimeout(() => children.forEach(({ proc }) => proc.exitCode === null && proc.kill('SIGKILL')), 8000);
  await Promise.all(exited);
  clearTimeout(timer);
  process.exit(code);
}

/**
 * What the demo console needs from the agent's first start: the broker's `console` password (from the users file
 * the embedded broker made, mode 0600), the demo site's public key, so it takes only that site's signed events,
 * and the agent's HTTP token, so it can serve the agent's snapshots and clips to operators.
 */
function consoleSecrets(agentConfig: string, env: NodeJS.ProcessEnv): Record<string, string> {
  // the demo site file read as the agent reads it, so the secrets are found where the agent put them
  const site = loadSiteConfig(agentConfig, { ...process.env, ...env });
  const paths = secretPaths(site);
  const reader = openBrokerUsers(paths.brokerUsers, site.site.id).users.find((u) => u.username === CONSOLE_USER);
  if (!reader) throw new Error(`${paths.brokerUsers} has no "${CONSOLE_USER}" user; move the file away and start again to make a new one`);
  return {
    VIGIL_MQTT_PASSWORD: reader.password,
    VIGIL_DEMO_SITE_KEY: SiteKey.open(paths.siteKey).publicKey,
    VIGIL_AGENT_TOKEN: AgentToken.open(site.http.token, paths.agentToken).value,
  };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  checkPrerequisites();
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const clip = join(REPO_ROOT, 'var', 'demo', 'demo.mp4');
  console.log('vigil: preparing the synthetic demo clip (a fall, then a fire) ...');
  await ensureClip('demo', clip);

  const env = {
    ...agentEnv(),
    VIGIL_RTSP_PORT: String(opts.rtspPort),
    VIGIL_MQTT_PORT: String(opts.mqttPort),
    VIGIL_AGENT_PORT: String(opts.agentPort),
    VIGIL_CONSOLE_PORT: String(opts.consolePort),
    VIGIL_DATA_DIR: opts.dataDir,
  };
  let rtspReady = false;
  run('camera', PYTHON, [join(REPO_ROOT, 'scripts', 'rtsp-server.py'), '--port', String(opts.rtspPort), `demo=${clip}`], env, (line) => {
    if (line.startsWith('READY')) rtspReady = true;
  });
  await waitFor('the demo RTSP camera', () => rtspReady, 15_000);
  const siteFile = join(REPO_ROOT, 'configs', 'demo.yaml');
  run('agent', process.execPath, [join(REPO_ROOT, 'dist', 'apps', 'edge-agent', 'src', 'main.js'), '--config', siteFile], env);
  await waitFor('the edge agent', () => httpOk(`http://127.0.0.1:${opts.agentPort}/health`), 60_000);
  let setupCode: string | undefined;
  run(
    'console',
    process.execPath,
    [join(REPO_ROOT, 'dist', 'apps', 'console', 'src', 'main.js'), '--config', join(REPO_ROOT, 'configs', 'console.yaml')],
    // the agent runs in the repository root: its data folder, relative or not, is resolved from there
    { ...env, ...consoleSecrets(siteFile, { ...env, VIGIL_DATA_DIR: resolve(REPO_ROOT, opts.dataDir) }) },
    (line) => {
      setupCode ??= /setup code ([A-Z0-9]{5}-[A-Z0-9]{5})/.exec(line)?.[1];
    },
  );
  await waitFor('the console', () => httpOk(`http://127.0.0.1:${opts.consolePort}/health`), 30_000);
  const url = `http://localhost:${opts.consolePort}/`;
  console.log(
    `\n  Vigil is running.\n\n  Operator console:  ${url}${setupCode ? `  (first visit: create the administrator with setup code ${setupCode})` : ''}\n  API docs:          ${url}api/docs\n  Agent health:      http://localhost:${opts.agentPort}/health\n  Demo camera:       rtsp://127.0.0.1:${opts.rtspPort}/demo (a fall at ~5 s, a fire from ~13 s, looping every 30 s)\n  MQTT (embedded):   mqtt://127.0.0.1:${opts.mqttPort}  (users and passwords: ${join(opts.dataDir, 'mqtt-users.json')}; anonymous clients are refused)\n\n  Press Ctrl+C to stop.\n`,
  );
  console.log(`VIGIL_CONSOLE_URL=${url}`);
}

main().catch((err) => {
  console.error(`vigil: ${(err as Error).message}`);
  void shutdown(1);
});
