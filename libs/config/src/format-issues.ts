import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/** `cameras[1].url` style path, the form operators see in their YAML. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

/** Walks a zod schema to the node at `path` so errors can quote the field's own description. */
export function schemaAt(schema: AnySchema, path: readonly PropertyKey[]): AnySchema | undefined {
  let node: AnySchema | undefined = schema;
  for (const key of path) {
    node = unwrap(node);
    if (!node) return undefined;
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (def.type === 'object') node = (def.shape as Record<string, AnySchema>)[String(key)];
    else if (def.type === 'array') node = def.element as AnySchema;
    else if (def.type === 'record') node = def.valueType as AnySchema;
    else return undefined;
  }
  return node;
}

function unwrap(node: AnySchema | undefined): AnySchema | undefined {
  let current = node;
  for (let i = 0; current && i < 8; i++) {
    const def = current._zod.def as unknown as Record<string, unknown>;
    if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') {
      current = def.innerType as AnySchema;
    } else if (def.type === 'pipe') {
      current = def.in as AnySchema;
    } else {
      return current;
    }
  }
  return current;
}

/** The base type the schema wants at `path` (through optional, default and the like), e.g. `number`. */
export function typeAt(schema: AnySchema, path: readonly PropertyKey[]): string | undefined {
  const node = unwrap(schemaAt(schema, path));
  return (node?._zod.def as unknown as { type?: string } | undefined)?.type;
}

function describe(schema: AnySchema, path: readonly PropertyKey[]): string | undefined {
  const node = schemaAt(schema, path);
  if (!node) return undefined;
  const direct = (node as unknown as { description?: string }).description;
  return direct ?? (unwrap(node) as unknown as { description?: string } | undefined)?.description;
}

function allowedKeys(schema: AnySchema, path: readonly PropertyKey[]): string[] {
  const node = unwrap(schemaAt(schema, path));
  const def = node?._zod.def as unknown as { type?: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** One line per problem: the field, what is wrong, and what the field should hold. */
export function formatIssues(schema: AnySchema, issues: readonly Issue[], input: unknown): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(schema, issue.path);
      for (const key of issue.keys) {
        const field = formatPath([...issue.path, key]);
        lines.push(`${field}: unknown setting; remove it or fix its spelling${allowed.length ? ` (allowed here: ${allowed.join(', ')})` : ''}`);
      }
      continue;
    }
    const field = formatPath(issue.path) || '(top level)';
    const got = valueAt(input, issue.path);
    const hint = describe(schema, issue.path);
    const received = got === undefined ? 'it is missing' : `got ${shown(issue.path, got)}`;
    lines.push(`${field}: ${issue.message} (${received})${hint ? `; expected ${hint}` : ''}`);
  }
  return lines;
}

/** Keys whose values are never printed, whatever their type. */
const SECRET_KEY = /pass(word)?|secret|token|api_?key|credential/i;

/** A value as an error may quote it: secrets by their type only, URLs without their user and password. */
function shown(path: readonly PropertyKey[], value: unknown): string {
  const key = String(path[path.length - 1] ?? '');
  if (SECRET_KEY.test(key)) return `a ${Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value} (not shown: it is a secret)`;
  return JSON.stringify(value).replace(/([a-z][a-z0-9+.-]*:\/\/)([^/\s"]*)@/gi, '$1***@');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
