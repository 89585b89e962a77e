import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, readCommandLine, UsageError } from '@vigil/config';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadSiteConfig } from './config/load-site-config';
import type { SiteConfig } from './config/site-config.schema';
import { secretPaths } from './security/secret-paths';
import { SiteKey } from './security/site-key';
import { openDatabase } from './storage/database';

const USAGE = `Usage: vigil-agent --config <site.yaml> [--print-site-key]

Runs the Vigil edge agent for one camera site: RTSP ingest, fall/fire/smoke detection, events over MQTT.
The site file is documented in configs/site.example.yaml. VIGIL_CONFIG can name it instead of --config.

  --print-site-key  print the site's public signing key (making the key if there is none yet) and exit;
                    consoles trust the site's events with mqtt.siteKeys.<site>: ["<that key>"]`;

export async function startAgent(config: SiteConfig) {
  const app = await NestFactory.create(AppModule.forRoot(config), { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  // a clean stop exits 0 (containers and systemd tell it from a crash), after pino has written its last lines
  app.enableShutdownHooks(undefined, { useProcessExit: true });
  await app.listen(config.http.port, config.http.host);
  return app;
}

/** The key alone on stdout, for scripts (`SITE_KEY=$(vigil site-key --config site.yaml)`); what to do with it on stderr. */
function printSiteKey(config: SiteConfig): void {
  const path = secretPaths(config).siteKey;
  let key: SiteKey;
  try {
    key = SiteKey.open(path);
  } catch (err) {
    console.error(`The site key could not be read or made: ${(err as Error).message}`);
    process.exit(1);
  }
  console.error(
    `site "${config.site.id}": key id ${key.id}, ${key.created ? 'made now' : 'kept'} in ${path}; consoles trust this site's events with mqtt.siteKeys.${config.site.id}: ["<the key below>"]`,
  );
  console.log(key.publicKey);
}

async function main(): Promise<void> {
  let options;
  try {
    options = readCommandLine(
      process.argv.slice(2),
      { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' }, 'print-site-key': { type: 'boolean' } },
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
  const path = options.config ?? process.env.VIGIL_CONFIG;
  if (!path) {
    console.error(`No site configuration given.\n\n${USAGE}`);
    process.exit(2);
  }
  let config: SiteConfig;
  try {
    config = loadSiteConfig(path, process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  if (options['print-site-key']) {
    printSiteKey(config);
    return;
  }
  try {
    // storage first, alone: an unusable database folder is one sentence with the fix, not a Nest stack trace
    openDatabase(config.storage.path).close();
  } catch (err) {
    console.error(`The edge agent could not start: ${(err as Error).message}`);
    process.exit(1);
  }
  try {
    const app = await startAgent(config);
    const url = await app.getUrl();
    app.get(Logger).log(`edge agent for site "${config.site.id}" up; health at ${url.replace('[::1]', 'localhost')}/health`, 'Agent');
  } catch (err) {
    console.error(`The edge agent could not start: ${(err as Error).message}`);
    process.exit(1);
  }
}

if (require.main === module) void main();
