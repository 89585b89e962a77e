import { Module, type DynamicModule } from '@nestjs/common';
import { Clock, pinoHttpOptions, SystemClock } from '@vigil/config';
import { LoggerModule } from 'nestjs-pino';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuditRepository } from './audit/audit.repository';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { UsersRepository } from './auth/users.repository';
import { CamerasController } from './cameras/cameras.controller';
import { CamerasRepository } from './cameras/cameras.repository';
import { type ConsoleConfig } from './config/console-config.schema';
import { CONSOLE_CONFIG } from './config/console-config.token';
import { ConsoleLifecycle } from './console.lifecycle';
import { EventsController } from './events/events.controller';
import { CamerasService } from './cameras/cameras.service';
import { EventsService } from './events/events.service';
import { LiveUpdates } from './events/live-updates';
import { ZodInputPipe } from './http/validation';
import { IngestCounters } from './ingest/ingest-counters';
import { MessageVerifier } from './ingest/message-verifier';
import { MediaProxyController } from './media/media-proxy.controller';
import { MetricsController } from './metrics/metrics.controller';
import { HealthController } from './health/health.controller';
import { MqttIngestService } from './ingest/mqtt-ingest.service';
import { DATABASE, openDatabase, type Db } from './storage/database';
import { EventStoreRepository } from './storage/event-store.repository';

@Module({})
export class AppModule {
  static forRoot(config: ConsoleConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: pinoHttpOptions('console', config.logging),
        }),
      ],
      controllers: [AuthController, EventsController, CamerasController, MediaProxyController, HealthController, MetricsController],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: config },
        { provide: Clock, useClass: SystemClock },
        { provide: DATABASE, useFactory: () => openDatabase(config.storage.path) },
        { provide: EventStoreRepository, useFactory: (db: Db) => new EventStoreRepository(db), inject: [DATABASE] },
        { provide: UsersRepository, useFactory: (db: Db) => new UsersRepository(db), inject: [DATABASE] },
        { provide: AuditRepository, useFactory: (db: Db) => new AuditRepository(db), inject: [DATABASE] },
        { provide: CamerasRepository, useFactory: (db: Db) => new CamerasRepository(db), inject: [DATABASE] },
        AuthService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useClass: ZodInputPipe },
        { provide: MessageVerifier, useFactory: () => new MessageVerifier(config.mqtt.siteKeys, config.mqtt.requireSignatures) },
        LiveUpdates,
        IngestCounters,
        CamerasService,
        EventsService,
        MqttIngestService,
        ConsoleLifecycle,
      ],
    };
  }
}
