import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './config-error';
import { formatIssues, typeAt } from './format-issues';

export interface LoadOptions {
  /** Values for `${NAME}` placeholders, normally `process.env`; secrets stay out of the file this way. */
  env?: Record<string, string | undefined>;
}

/**
 * Reads a YAML file, substitutes `${NAME}` / `${NAME:-default}` placeholders, and validates it with `schema`.
 * Throws ConfigError naming each bad field; never returns a partially valid config.
 */
export function loadYamlConfig<S extends z.ZodType>(path: string, schema: S, options: LoadOptions = {}): z.output<S> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(path, [
      code === 'ENOENT'
        ? `file not found; pass --config with the path of your site file (see configs/site.example.yaml)`
        : `cannot read file: ${(err as Error).message}`,
    ]);
  }
  return parseYamlConfig(text, path, schema, options);
}

const PLACEHOLDER = /\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g;

/** Index where a YAML comment starts on this line (placeholders in comments are documentation, not values). */
function commentStart(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
      return i;
    }
  }
  return line.length;
}

/**
 * `${NAME}` placeholders become opaque tokens before parsing and their values are put into the parsed strings
 * after, so a value is taken verbatim whatever it holds ("abc #def", "@x", "*x", quotes): YAML never reads it.
 * A scalar that is one placeholder and nothing else takes the type the schema wants there (a port from
 * ${PORT} is a number; a password of digits stays a string).
 */
export function parseYamlConfig<S extends z.ZodType>(text: string, source: string, schema: S, options: LoadOptions = {}): z.output<S> {
  const missing: string[] = [];
  const values: string[] = [];
  const tokenised = text
    .split('\n')
    .map((line, i) => {
      const cut = commentStart(line);
      const body = line.slice(0, cut).replace(PLACEHOLDER, (_match, name: string, fallback?: string) => {
        const value = options.env?.[name];
        let resolved = value !== undefined && value !== '' ? value : fallback;
        if (resolved === undefined) {
          missing.push(
            `line ${i + 1}: \${${name}} needs the environment variable ${name}, which is not set; export it or give a default with \${${name}:-value}`,
          );
          resolved = '';
        }
        values.push(resolved);
        return tokenFor(values.length - 1);
      });
      return body + line.slice(cut);
    })
    .join('\n');
  if (missing.length) throw new ConfigError(source, missing);
  const doc = parseDocument(tokenised, { prettyErrors: true });
  if (doc.errors.length) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => `YAML syntax error at line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`),
    );
  }
  const data: unknown = substitute(doc.toJS() ?? {}, [], values, schema);
  const result = schema.safeParse(data);
  if (!result.success) throw new ConfigError(source, formatIssues(schema, result.error.issues, data));
  return result.data;
}

// letters, digits and underscores only: a plain scalar anywhere in YAML, flow collections included
const TOKEN_PREFIX = 'VIGILENVTOKEN';
const TOKEN = new RegExp(`${TOKEN_PREFIX}(\\d+)X`, 'g');
const tokenFor = (i: number) => `${TOKEN_PREFIX}${i}X`;

function substitute(node: unknown, path: PropertyKey[], values: readonly string[], schema: z.ZodType): unknown {
  if (typeof node === 'string') {
    const whole = new RegExp(`^${TOKEN_PREFIX}(\\d+)X$`).exec(node);
    if (whole) return typed(values[Number(whole[1])], typeAt(schema, path));
    return node.replace(TOKEN, (_m, i: string) => values[Number(i)]);
  }
  if (Array.isArray(node)) return node.map((v, i) => substitute(v, [...path, i], values, schema));
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k.replace(TOKEN, (_m, i: string) => values[Number(i)]), substitute(v, [...path, k], values, schema)]),
    );
  }
  return node;
}

/** A whole-placeholder value as the schema wants it: numbers and booleans parsed, everything else verbatim. */
function typed(value: string, wanted: string | undefined): unknown {
  if (wanted === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (wanted === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
