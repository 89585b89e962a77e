import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line that cannot be followed: the problem, then the usage. Exit 2 with it. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Node's util.parseArgs, strict: an unknown flag (`--conf` for `--config`) or a flag without its value is an error
 * naming the flag, never a silent default. `positionals`: how many bare arguments the command takes.
 */
export function readCommandLine<O extends Options>(
  argv: readonly string[],
  options: O,
  usage: string,
  positionals: { min?: number; max?: number } = { max: 0 },
) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: (positionals.max ?? Infinity) > 0 });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.replace(/\. To specify a positional argument starting with a '-'.*$/s, '')}\n\n${usage}`);
  }
  const count = parsed.positionals.length;
  if (count < (positionals.min ?? 0)) throw new UsageError(`missing argument\n\n${usage}`);
  if (count > (positionals.max ?? Infinity)) throw new UsageError(`unexpected argument "${parsed.positionals[positionals.max ?? 0]}"\n\n${usage}`);
  return parsed;
}
