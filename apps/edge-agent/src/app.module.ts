import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Clock, pinoHttpOptions, SystemClock } from '@vigil/config';
import { LoggerModule } from 'nestjs-pino';
import { AgentLifecycle } from './agent.lifecycle';
import { CameraManagerService } from './camera/camera-manager.service';
import type { SiteConfig } from './config/site-config.schema';
import { SITE_CONFIG } from './config/site-config.token';
import { EventService } from './events/event.service';
import { EventWriter } from './events/event-writer';
import { ExplanationService } from './explain/explanation.service';
import { HealthController } from './health/health.controller';
import { AgentUrl } from './http/agent-url';
import { MediaController } from './http/media.controller';
import { ModelRepository } from './inference/model.repository';
import { MediaService } from './media/media.service';
import { MetricsController } from './metrics/metrics.controller';
import { MqttRepository } from './mqtt/mqtt.repository';
import { secretPaths } from './security/secret-paths';
import { SiteKey } from './security/site-key';
import { AgentToken } from './security/agent-token';
import { AgentTokenGuard } from './http/agent-token.guard';
import { OutboxPublisherService } from './mqtt/outbox-publisher.service';
import { OutboxSignal } from './mqtt/outbox-signal';
import { openDatabase, type Db } from './storage/database';
import { EventRepository } from './storage/event.repository';
import { OutboxRepository } from './storage/outbox.repository';
import { DATABASE } from './storage/storage.tokens';

@Module({})
export class AppModule {
  static forRoot(config: SiteConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: pinoHttpOptions('edge-agent', config.logging),
        }),
      ],
      controllers: [HealthController, MediaController, MetricsController],
      providers: [
        { provide: SITE_CONFIG, useValue: config },
        { provide: Clock, useClass: SystemClock },
        { provide: DATABASE, useFactory: () => openDatabase(config.storage.path) },
        { provide: EventRepository, useFactory: (db: Db) => new EventRepository(db), inject: [DATABASE] },
        { provide: OutboxRepository, useFactory: (db: Db) => new OutboxRepository(db), inject: [DATABASE] },
        ModelRepository,
        MediaService,
        AgentUrl,
        { provide: SiteKey, useFactory: () => SiteKey.open(secretPaths(config).siteKey) },
        { provide: AgentToken, useFactory: () => AgentToken.open(config.http.token, secretPaths(config).agentToken) },
        { provide: APP_GUARD, useClass: AgentTokenGuard },
        MqttRepository,
        OutboxSignal,
        OutboxPublisherService,
        ExplanationService,
        EventWriter,
        EventService,
        CameraManagerService,
        AgentLifecycle,
      ],
    };
  }
}
