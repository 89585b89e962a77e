import pino from 'pino';
import { Writable } from 'node:stream';
import { escapeControl, pinoHttpOptions } from './logging';

describe('log lines cannot be forged', () => {
  it('should escape newlines and other control characters in logged texts', () => {
    expect(escapeControl('user a\n[Nest] 1 - LOG fake line\r\u0007')).toBe('user a\\n[Nest] 1 - LOG fake line\\r\\x07');
  });

  it("should keep a message with a newline on one line through the apps' pino setup", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, done) => (lines.push(...chunk.toString().split('\n').filter(Boolean)), done()) });
    const { hooks } = pinoHttpOptions('test', { level: 'info', pretty: false });
    const logger = pino({ hooks }, sink);
    logger.warn('rejected an event message: {"x":"\nINFO forged"}');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).msg).toBe('rejected an event message: {"x":"\\nINFO forged"}');
  });
});
