import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { loadYamlConfig, parseYamlConfig } from './load-yaml-config';

const Schema = z.strictObject({
  name: z.string().min(1).describe('a display name'),
  port: z.number().int().min(1).max(65535).default(1883).describe('a TCP port 1-65535'),
  items: z.array(z.strictObject({ id: z.string().regex(/^[a-z]+$/, 'lowercase letters only') })).default([]),
});

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe(parseYamlConfig.name, () => {
  it('should return typed config with defaults applied', () => {
    expect(parseYamlConfig('name: site', 'x.yaml', Schema)).toEqual({ name: 'site', port: 1883, items: [] });
  });

  it('should name the field, what was given and what is expected', () => {
    const lines = problems(() => parseYamlConfig('name: site\nport: 70000\n', 'x.yaml', Schema));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^port: .*got 70000.*expected a TCP port 1-65535/);
  });

  it('should give array paths the way they appear in YAML', () => {
    const lines = problems(() => parseYamlConfig('name: s\nitems:\n  - id: ok\n  - id: Bad1\n', 'x.yaml', Schema));
    expect(lines[0]).toMatch(/^items\[1\]\.id: lowercase letters only \(got "Bad1"\)/);
  });

  it('should reject unknown keys and list the allowed ones', () => {
    const lines = problems(() => parseYamlConfig('name: s\nprot: 1\n', 'x.yaml', Schema));
    expect(lines[0]).toBe('prot: unknown setting; remove it or fix its spelling (allowed here: name, port, items)');
  });

  it('should report a missing required field', () => {
    expect(problems(() => parseYamlConfig('port: 10\n', 'x.yaml', Schema))[0]).toMatch(/^name: .*it is missing.*expected a display name/);
  });

  it('should substitute ${VAR} and ${VAR:-default} from the environment and name unset variables', () => {
    expect(parseYamlConfig('name: ${SITE}\nport: ${PORT:-1999}\n', 'x.yaml', Schema, { env: { SITE: 'north' } })).toMatchObject({ name: 'north', port: 1999 });
    expect(problems(() => parseYamlConfig('name: ${SITE}\n', 'x.yaml', Schema, { env: {} }))[0]).toBe(
      'line 1: ${SITE} needs the environment variable SITE, which is not set; export it or give a default with ${SITE:-value}',
    );
  });

  it('should point at the line of a YAML syntax error', () => {
    expect(problems(() => parseYamlConfig('name: [unclosed\n', 'x.yaml', Schema))[0]).toMatch(/YAML syntax error at line/);
  });
});

describe(loadYamlConfig.name, () => {
  it('should say how to fix a missing file', () => {
    expect(problems(() => loadYamlConfig('/nonexistent/site.yaml', Schema))[0]).toMatch(/file not found; pass --config/);
  });

  it('should read a file from disk', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
    writeFileSync(join(dir, 'c.yaml'), 'name: disk\n');
    expect(loadYamlConfig(join(dir, 'c.yaml'), Schema).name).toBe('disk');
  });
});

describe('placeholders in comments', () => {
  it('should leave ${VAR} in comments alone but substitute it in values and quoted strings with #', () => {
    const yaml = '# set ${UNSET} to ...\nname: "a#${SITE}" # ${ALSO_UNSET}\n';
    expect(parseYamlConfig(yaml, 'x.yaml', Schema, { env: { SITE: 'b' } }).name).toBe('a#b');
  });
});

describe('secrets from the environment, verbatim', () => {
  const Secrets = z.strictObject({ password: z.string(), port: z.number().default(1), on: z.boolean().default(false), url: z.string().optional() });

  it.each(['abc #def', '123456', '@x', '*x', '"quoted" and \'single\'', 'a: b', '{not: a map}', '- not a list', '${NOT_A_PLACEHOLDER}'])(
    'should keep %j as it is',
    (secret) => {
      expect(parseYamlConfig('password: ${SECRET}\n', 'x.yaml', Secrets, { env: { SECRET: secret } }).password).toBe(secret);
      expect(parseYamlConfig('password: "${SECRET}"\n', 'x.yaml', Secrets, { env: { SECRET: secret } }).password).toBe(secret);
    },
  );

  it('should give a whole-placeholder value the type the field wants, in flow collections too', () => {
    const parsed = parseYamlConfig('{ password: ${P}, port: ${PORT:-1883}, on: ${ON}, url: "rtsp://h:${PORT:-1883}/s" }\n', 'x.yaml', Secrets, {
      env: { P: '007', ON: 'true' },
    });
    expect(parsed).toEqual({ password: '007', port: 1883, on: true, url: 'rtsp://h:1883/s' });
  });
});
