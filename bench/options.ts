import { readCommandLine, UsageError } from '@vigil/config';

type Spec = Record<string, { type: 'string' | 'boolean' }>;

/** A bench's flags as typed readers. */
export interface BenchOptions {
  string(name: string): string | undefined;
  string(name: string, fallback: string): string;
  /** A number >= 0; anything else is a usage error. */
  number(name: string, fallback: number): number;
  optionalNumber(name: string): number | undefined;
  /** A comma-separated list of numbers >= 0. */
  numbers(name: string, fallback: number[]): number[];
  flag(name: string): boolean;
}

function usageError(message: string, usage: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

/**
 * Reads a bench's command line strictly (Node's util.parseArgs): an unknown or misspelt flag, or a flag without
 * its value, prints the usage and exits 2 instead of running for minutes on defaults.
 */
export function benchOptions(usage: string, spec: Spec, argv: readonly string[] = process.argv.slice(2)): BenchOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = readCommandLine(argv, spec, usage).values as Record<string, string | boolean | undefined>;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const toNumber = (name: string, text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) usageError(`--${name} must be a number >= 0, got "${text}"`, usage);
    return value;
  };
  const text = (name: string) => values[name] as string | undefined;
  return {
    string: ((name: string, fallback?: string) => text(name) ?? fallback) as BenchOptions['string'],
    number: (name, fallback) => (text(name) === undefined ? fallback : toNumber(name, text(name)!)),
    optionalNumber: (name) => (text(name) === undefined ? undefined : toNumber(name, text(name)!)),
    numbers: (name, fallback) =>
      text(name) === undefined
        ? fallback
        : text(name)!
            .split(',')
            .map((part) => toNumber(name, part)),
    flag: (name) => values[name] === true,
  };
}
