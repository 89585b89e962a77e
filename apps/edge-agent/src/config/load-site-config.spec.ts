import { ConfigError } from '@vigil/config';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadSiteConfig } from './load-site-config';

const dir = mkdtempSync(join(tmpdir(), 'vigil-site-'));
let n = 0;
function write(yaml: string): string {
  const path = join(dir, `site-${n++}.yaml`);
  writeFileSync(path, yaml);
  return path;
}
function problemsOf(yaml: string): string[] {
  try {
    loadSiteConfig(write(yaml), {});
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe(loadSiteConfig.name, () => {
  it('should accept a minimal site and fill in documented defaults', () => {
    const config = loadSiteConfig(write('site: { id: north }\ncameras:\n  - { id: gate, url: "rtsp://10.0.0.2/s1" }\n'), {});
    expect(config.cameras[0]).toMatchObject({ id: 'gate', enabled: true, rtspTransport: 'tcp' });
    expect(config.events.fall).toMatchObject({ enabled: true, minWindows: 2, cooldownSeconds: 60 });
    expect(config.mqtt).toMatchObject({ url: 'mqtt://127.0.0.1:1883', topicPrefix: 'vigil', embeddedBroker: { enabled: false } });
    expect(config.model.card).toBe('builtin');
    expect(config.model.thread).toBe('worker');
  });

  it('should name every bad field with its fix', () => {
    const lines = problemsOf(`
site: { id: North Site }
cameras:
  - { id: gate, url: "" }
events:
  fall: { threshold: 1.5 }
mqtt: { url: "http://broker" }
model: { hop: 0.5, thread: fiber }
`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^site\.id: must be lowercase letters.*got "North Site"/),
        expect.stringMatching(/^cameras\[0\]\.url: .*expected an RTSP URL/),
        expect.stringMatching(/^events\.fall\.threshold: .*got 1\.5.*expected a score between 0\.05 and 0\.99/),
        expect.stringMatching(/^mqtt\.url: must start with mqtt:\/\//),
        expect.stringMatching(/^model\.hop: .*got 0\.5.*score a window every N new frames, 1-64/),
        expect.stringMatching(/^model\.thread: .*got "fiber".*worker \(each model runs on a thread of its own/),
      ]),
    );
  });

  it('should reject duplicate camera ids and typos in keys', () => {
    expect(problemsOf('site: { id: s }\ncameras:\n  - { id: a, url: x.mp4 }\n  - { id: a, url: y.mp4 }\n')).toEqual([
      'cameras[1].id: "a" is used by another camera; camera ids must be unique',
    ]);
    expect(problemsOf('site: { id: s }\ncameras:\n  - { id: a, url: x.mp4, treshold: 1 }\n')[0]).toMatch(/^cameras\[0\]\.treshold: unknown setting/);
  });

  it('should need at least one camera', () => {
    expect(problemsOf('site: { id: s }\ncameras: []\n')[0]).toMatch(/^cameras: at least one camera is needed/);
  });

  it.each(['demo.yaml', 'site.example.yaml'])('should accept the shipped configs/%s', (file) => {
    const text = readFileSync(resolve(__dirname, '../../../../configs', file), 'utf8');
    expect(() => loadSiteConfig(write(text), { MQTT_PASSWORD: 'x' })).not.toThrow();
  });

  it('should ask for what an LLM provider needs, naming the environment variable for the key', () => {
    const base = 'site: { id: north }\ncameras:\n  - { id: gate, url: "rtsp://10.0.0.2/s1" }\n';
    expect(problemsOf(`${base}explanations: { provider: openai-compatible }\n`)).toEqual([
      'explanations.baseUrl: required when provider is openai-compatible; e.g. http://127.0.0.1:8000/v1',
      'explanations.model: required when provider is openai-compatible; the model name your server serves',
    ]);
    expect(problemsOf(`${base}explanations: { provider: deepseek }\n`)).toEqual([
      'explanations.apiKeyEnv: the environment variable DEEPSEEK_API_KEY is not set; export the API key as DEEPSEEK_API_KEY, or use provider: template',
    ]);
    const ok = loadSiteConfig(write(`${base}explanations: { provider: deepseek, language: zh-CN }\n`), { DEEPSEEK_API_KEY: 'sk-1' });
    expect(ok.explanations).toMatchObject({
      provider: 'deepseek',
      apiKey: 'sk-1',
      language: 'zh-CN',
      timeoutSeconds: 20,
      retries: 1,
      concurrency: 2,
      vision: false,
    });
  });

  it('should read per-camera masks, schedules and rule overrides, and name a bad one', () => {
    const camera = `cameras:
  - id: gate
    url: "rtsp://10.0.0.2/s1"
    masks: [[[0, 0], [0.3, 0], [0.3, 0.2]]]
    schedule: [{ days: [sat, sun], from: "22:00", to: "06:00" }]
    events: { fall: { threshold: 0.9, smoothingWindows: 3 }, smoke: { enabled: false } }
`;
    const config = loadSiteConfig(write(`site: { id: north }\n${camera}`), {});
    expect(config.cameras[0].masks).toEqual([
      [
        [0, 0],
        [0.3, 0],
        [0.3, 0.2],
      ],
    ]);
    expect(config.cameras[0].schedule).toEqual([{ days: ['sat', 'sun'], from: '22:00', to: '06:00' }]);
    expect(config.cameras[0].events).toEqual({ fall: { threshold: 0.9, smoothingWindows: 3 }, smoke: { enabled: false } });
    const bad = problemsOf(
      'site: { id: north }\ncameras:\n  - { id: gate, url: x.mp4, masks: [[[0, 0], [2, 0]]], schedule: [{ from: "25:00", to: "06:00" }] }\n',
    );
    expect(bad.join('\n')).toMatch(/cameras\[0\]\.masks\[0\]: a polygon needs at least 3 points/);
    expect(bad.join('\n')).toMatch(/cameras\[0\]\.masks\[0\]\[1\]\[0\]: .*/);
    expect(bad.join('\n')).toMatch(/cameras\[0\]\.schedule\[0\]\.from: must be a time such as 07:30 or 22:00/);
  });

  it('should never print a secret in a config error, numeric or inside a URL', () => {
    const problems = problemsOf('site: { id: s }\ncameras:\n  - { id: a, url: "rtsp://admin:pa/ss@10.0.0.9/live" }\nmqtt: { password: 123456 }\n');
    expect(problems).toEqual(
      expect.arrayContaining([
        'mqtt.password: Invalid input: expected string, received number (got a number (not shown: it is a secret)); expected the broker password; use ${MQTT_PASSWORD} to keep it out of the file',
      ]),
    );
    expect(problems.join('\n')).not.toMatch(/123456|pa\/ss/);
  });

  it('should ask for "/" in a camera password to be percent-encoded, without printing the URL', () => {
    const problems = problemsOf('site: { id: s }\ncameras:\n  - { id: a, url: "rtsp://admin:pa/ss@10.0.0.9/live" }\n');
    expect(problems).toEqual([expect.stringMatching(/^cameras\[0\]\.url: the user or password seems to contain "\/".*percent-encoded \(%2F/)]);
    expect(problems[0]).not.toContain('pa/ss');
    expect(loadSiteConfig(write('site: { id: s }\ncameras:\n  - { id: a, url: "rtsp://admin:pa%2Fss%40x@10.0.0.9/live" }\n'), {}).cameras[0].url).toContain(
      '%2F',
    );
  });
});
