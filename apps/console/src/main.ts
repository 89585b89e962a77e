import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, loadYamlConfig, parseYamlConfig, readCommandLine, UsageError } from '@vigil/config';
import { Logger } from 'nestjs-pino';
import { resolve } from 'node:path';
import { AppModule } from './app.module';
import { setupOpenApi } from './http/openapi';
import { securityHeaders } from './http/security-headers';
import { ConsoleConfigSchema, type ConsoleConfig } from './config/console-config.schema';
import { openDatabase } from './storage/database';

const USAGE = `Usage: vigil-console [--config <console.yaml>] [--port <n>]

Serves the Vigil operator console: live alerts from every site's edge agent over MQTT.
Without --config it uses the defaults documented in configs/console.example.yaml.`;

export async function startConsole(config: ConsoleConfig) {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  // a clean stop exits 0 (containers and systemd tell it from a crash), after pino has written its last lines
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  app.disable('x-powered-by');
  // X-Forwarded-For only from configured proxies: anyone else could pick a new address per guess and dodge the lockout
  app.set('trust proxy', config.http.trustProxy.length ? config.http.trustProxy : false);
  app.use(securityHeaders);
  setupOpenApi(app);
  app.useStaticAssets(resolve(__dirname, '..', 'web'), { index: 'index.html', maxAge: 0 });
  await app.listen(config.http.port, config.http.host);
  return app;
}

async function main(): Promise<void> {
  let options;
  try {
    options = readCommandLine(
      process.argv.slice(2),
      { config: { type: 'string', short: 'c' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      USAGE,
    ).values;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  let config: ConsoleConfig;
  try {
    const path = options.config ?? process.env.VIGIL_CONSOLE_CONFIG;
    config = path ? loadYamlConfig(path, ConsoleConfigSchema, { env: process.env }) : parseYamlConfig('{}', 'defaults', ConsoleConfigSchema);
    const port = options.port;
    if (port !== undefined) {
      if (!/^\d+$/.test(port) || Number(port) > 65535) throw new ConfigError('--port', [`--port: "${port}" is not a TCP port; use a number from 0 to 65535`]);
      config = { ...config, http: { ...config.http, port: Number(port) } };
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  try {
    // storage first, alone: an unusable database folder is one sentence with the fix, not a Nest stack trace
    openDatabase(config.storage.path).close();
  } catch (err) {
    console.error(`The console could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  try {
    const app = await startConsole(config);
    const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
    app.get(Logger).log(`operator console at ${url}/`, 'Console');
  } catch (err) {
    console.error(`The console could not start: ${(err as Error).message}`);
    process.exit(1);
  }
}

if (require.main === module) void main();
