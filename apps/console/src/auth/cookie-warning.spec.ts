import { ConsoleConfigSchema } from '../config/console-config.schema';
import { insecureCookieWarning } from './auth.service';

describe(insecureCookieWarning.name, () => {
  const config = (http: object, auth: object = {}) => ConsoleConfigSchema.parse({ http, auth });

  it('should warn when the console is served beyond loopback with cookies that are not Secure', () => {
    expect(insecureCookieWarning(config({ host: '0.0.0.0' }))).toMatch(/not marked Secure: serve it over HTTPS .* auth\.secureCookies: true/);
  });

  it('should stay quiet on loopback or with Secure cookies', () => {
    expect(insecureCookieWarning(config({ host: '127.0.0.1' }))).toBeUndefined();
    expect(insecureCookieWarning(config({ host: '0.0.0.0' }, { secureCookies: true }))).toBeUndefined();
  });
});
