import type { Options } from 'pino-http';

export interface LoggingConfig {
  level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  pretty: boolean;
}

/** Control characters (newlines above all) in a logged text: in pretty logs they would start a forged line. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/g;

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** The one pino setup of both apps: JSON lines, or pretty single lines whose texts cannot forge another line. */
export function pinoHttpOptions(name: string, logging: LoggingConfig): Options {
  return {
    name,
    level: logging.level,
    autoLogging: false,
    transport: logging.pretty ? { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname,req,res' } } : undefined,
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? escapeControl(a) : a)) as Parameters<typeof method>);
      },
    },
  };
}
