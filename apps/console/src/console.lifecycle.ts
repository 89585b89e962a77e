import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AuthService } from './auth/auth.service';
import { MqttIngestService } from './ingest/mqtt-ingest.service';
import { DATABASE, type Db } from './storage/database';

/**
 * The console's start and stop, in one place and in order (as AgentLifecycle is the agent's): at start the
 * setup code or cookie warning, then the broker subscription; at stop the subscription first, so no message
 * arrives into a closed store, then the database.
 */
@Injectable()
export class ConsoleLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Console');

  constructor(
    private readonly auth: AuthService,
    private readonly ingest: MqttIngestService,
    @Inject(DATABASE) private readonly db: Db,
  ) {}

  onApplicationBootstrap(): void {
    this.auth.announce();
    this.ingest.start();
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}`);
    const started = Date.now();
    await this.ingest.stop();
    this.db.close();
    this.logger.log(`stopped in ${Date.now() - started} ms`);
  }
}
