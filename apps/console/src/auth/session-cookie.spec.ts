import { SESSION_COOKIE } from './auth.service';
import { sessionToken } from './auth.guard';

describe('session cookie', () => {
  const read = (cookie?: string) => sessionToken({ headers: { cookie } });

  it('should read the session among other cookies', () => {
    expect(read(`theme=dark; ${SESSION_COOKIE}=abc%3Ddef; x=1`)).toBe('abc=def');
    expect(read('theme=dark')).toBeUndefined();
    expect(read()).toBeUndefined();
  });

  it('should read a malformed header as no session instead of throwing', () => {
    expect(read(`${SESSION_COOKIE}=%E0%A4%A`)).toBeUndefined();
    expect(read(`;;=;${SESSION_COOKIE};%`)).toBeUndefined();
  });
});
