import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './config-error';
import { formatIssues } from './format-issues';

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
      code === 'ENOENT' ? `file not found; pass --config with the path of your site file (see configs/site.example.yaml)` : `cannot read file: ${(err as Error).message}`,
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

export function parseYamlConfig<S extends z.ZodType>(text: string, source: string, schema: S, options: LoadOptions = {}): z.output<S> {
  const missing: string[] = [];
  const substituted = text
    .split('\n')
    .map((line, i) => {
      const cut = commentStart(line);
      const body = line.slice(0, cut).replace(PLACEHOLDER, (_match, name: string, fallback?: string) => {
        const value = options.env?.[name];
        if (value !== undefined && value !== '') return value;
        if (fallback !== undefined) return fallback;
        missing.push(`line ${i + 1}: \${${name}} needs the environment variable ${name}, which is not set; export it or give a default with \${${name}:-value}`);
        return '';
      });
      return body + line.slice(cut);
    })
    .join('\n');
  if (missing.length) throw new ConfigError(source, missing);
  const doc = parseDocument(substituted, { prettyErrors: true });
  if (doc.errors.length) {
    throw new ConfigError(source, doc.errors.map((e) => `YAML syntax error at line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`));
  }
  const data: unknown = doc.toJS() ?? {};
  const result = schema.safeParse(data);
  if (!result.success) throw new ConfigError(source, formatIssues(schema, result.error.issues, data));
  return result.data;
}
