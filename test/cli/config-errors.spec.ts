import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, startNode } from '../support/processes';

const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));

async function runAgent(args: string[]) {
  const proc = startNode('apps/edge-agent/src/main.js', args);
  const code = await proc.exited;
  return { code, output: proc.output() };
}

describe('edge agent start-up with bad configuration', () => {
  it('should exit 2 naming each bad field and how to fix it', async () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'site: { id: "Main Site" }\ncameras:\n  - { id: gate, url: "rtsp://10.0.0.9/1", fps: 5 }\nmqtt: { url: "broker:1883" }\n');
    const { code, output } = await runAgent(['--config', path]);
    expect(code).toBe(2);
    expect(output).toContain(`Invalid configuration in ${path}:`);
    expect(output).toMatch(/- site\.id: must be lowercase letters, digits, "-" or "_" .*got "Main Site"/);
    expect(output).toMatch(
      /- cameras\[0\]\.fps: unknown setting; remove it or fix its spelling \(allowed here: id, name, location, url, enabled, rtspTransport, hwaccel, codec, masks, schedule, events\)/,
    );
    expect(output).toMatch(/- mqtt\.url: must start with mqtt:\/\//);
  });

  it('should exit 2 with usage when no config is given, and when the file is missing', async () => {
    const none = await runAgent([]);
    expect(none.code).toBe(2);
    expect(none.output).toMatch(/No site configuration given[\s\S]*Usage: vigil-agent --config <site.yaml>/);
    const missing = await runAgent(['--config', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/file not found; pass --config with the path of your site file/);
  });

  it('should exit 2 on a misspelt flag instead of starting on defaults, for the agent and the console', async () => {
    const agent = await runAgent(['--conf', join(dir, 'site.yaml')]);
    expect(agent.code).toBe(2);
    expect(agent.output).toMatch(/Unknown option '--conf'[\s\S]*Usage: vigil-agent --config <site.yaml>/);
    const consoleProc = startNode('apps/console/src/main.js', ['--conf', join(dir, 'console.yaml')]);
    expect(await consoleProc.exited).toBe(2);
    expect(consoleProc.output()).toMatch(/Unknown option '--conf'[\s\S]*Usage: vigil-console/);
  });

  it('should exit 1 with the reason when the model card cannot be used', async () => {
    const path = join(dir, 'model.yaml');
    writeFileSync(
      path,
      `site: { id: s }\ncameras:\n  - { id: a, url: "x.mp4" }\nmodel: { card: "${join(dir, 'missing.card.json')}" }\nstorage: { path: "${join(dir, 'a.db')}" }\nhttp: { port: 0 }\n`,
    );
    const { code, output } = await runAgent(['--config', path]);
    expect(code).toBe(1);
    expect(output).toMatch(/The edge agent could not start: Cannot read model card ".*missing\.card\.json"/);
  });

  it('should exit 1 naming the threshold when the cascade gate would let unconfirmed windows raise an event', async () => {
    const path = join(dir, 'gate.yaml');
    writeFileSync(
      path,
      `site: { id: s }\ncameras:\n  - { id: a, url: "x.mp4", events: { smoke: { threshold: 0.9 } } }\nmodel: { confirm: { gate: 0.95 } }\nstorage: { path: "${join(dir, 'g.db')}" }\nhttp: { port: 0 }\n`,
    );
    const { code, output } = await runAgent(['--config', path]);
    expect(code).toBe(1);
    expect(output).toMatch(
      /model\.confirm\.gate \(0\.95\) must be under the smoke threshold \(0\.9, cameras\[a\]\.events\.smoke\.threshold\): a window the confirming model never saw could open an event; lower the gate or raise the threshold/,
    );
  });

  it('should exit 1 saying how to go on when the confirming card records no gate and the site file sets none', async () => {
    const weights = join(DIST, 'libs', 'model', 'weights');
    const { confirming: _gone, ...tiles } = JSON.parse(readFileSync(join(weights, 'vigil-vit-tiny-tiles.card.json'), 'utf8'));
    const card = join(dir, 'no-gate.card.json');
    writeFileSync(card, JSON.stringify({ ...tiles, file: join(weights, tiles.file) }));
    const path = join(dir, 'no-gate.yaml');
    writeFileSync(
      path,
      `site: { id: s }\ncameras:\n  - { id: a, url: "x.mp4" }\nmodel: { confirm: { card: "${card}" } }\nstorage: { path: "${join(dir, 'n.db')}" }\nhttp: { port: 0 }\n`,
    );
    const { code, output } = await runAgent(['--config', path]);
    expect(code).toBe(1);
    expect(output).toMatch(
      /model\.confirm: vigil-vit-tiny-tiles's card records no confirmation gate; set one \(model\.confirm\.gate\) \(model\.confirm: false runs vigil-vit-tiny alone\)/,
    );
  });
});
