import { readCommandLine, UsageError } from './command-line';

describe(readCommandLine.name, () => {
  const options = { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } } as const;

  it('should read flags in both spellings', () => {
    expect(readCommandLine(['--config', 'a.yaml'], options, 'usage').values).toEqual({ config: 'a.yaml' });
    expect(readCommandLine(['-c', 'b.yaml', '--help'], options, 'usage').values).toEqual({ config: 'b.yaml', help: true });
    expect(readCommandLine(['--config=c.yaml'], options, 'usage').values.config).toBe('c.yaml');
  });

  it('should refuse an unknown flag, a missing value and stray arguments, naming them', () => {
    expect(() => readCommandLine(['--conf', 'x.yaml'], options, 'usage: x')).toThrow(UsageError);
    expect(() => readCommandLine(['--conf', 'x.yaml'], options, 'usage: x')).toThrow(/Unknown option '--conf'[\s\S]*usage: x/);
    expect(() => readCommandLine(['--config'], options, 'usage')).toThrow(/--config/);
    expect(() => readCommandLine(['extra'], options, 'usage')).toThrow(/Unexpected argument|unexpected argument "extra"/);
    expect(readCommandLine(['clips', '--config', 'a'], options, 'usage', { min: 1, max: 1 }).positionals).toEqual(['clips']);
    expect(() => readCommandLine([], options, 'usage', { min: 1, max: 1 })).toThrow(/missing argument/);
  });
});
