import { LoginLimiter } from './login-limiter';

describe(LoginLimiter.name, () => {
  it('should lock a key after max failures for the rest of the window and free it on success', () => {
    const limiter = new LoginLimiter(3, 60_000);
    for (let i = 0; i < 3; i++) limiter.fail('1.2.3.4|ana', i * 1000);
    expect(limiter.retryAfterMs('1.2.3.4|ana', 3000)).toBe(57_000);
    expect(limiter.retryAfterMs('1.2.3.4|bo', 3000)).toBe(0);
    expect(limiter.retryAfterMs('1.2.3.4|ana', 60_001)).toBe(0);
    limiter.fail('x', 0);
    limiter.succeed('x');
    expect(limiter.retryAfterMs('x', 1)).toBe(0);
  });
});
