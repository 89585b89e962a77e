/** The value of `--name value` or `--name=value` in argv, or undefined. */
export function cliOption(argv: readonly string[], name: string, alias?: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name || (alias && argv[i] === alias)) return argv[i + 1];
    if (argv[i].startsWith(`${name}=`)) return argv[i].slice(name.length + 1);
  }
  return undefined;
}
