import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { CONSOLE_CONFIG, type ConsoleConfig } from './config/console-config.schema';
import { EventsController } from './events/events.controller';
import { EventsService } from './events/events.service';
import { HealthController } from './health/health.controller';
import { MqttIngestService } from './ingest/mqtt-ingest.service';
import { DATABASE, openDatabase, type Db } from './store/database';
import { EventStoreRepository } from './store/event-store.repository';

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly db: Db) {}

  onApplicationShutdown(): void {
    this.db.close();
  }
}

@Module({})
export class AppModule {
  static forRoot(config: ConsoleConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            name: 'console',
            level: config.logging.level,
            autoLogging: false,
            transport: config.logging.pretty ? { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname,req,res' } } : undefined,
          },
        }),
      ],
      controllers: [EventsController, HealthController],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: config },
        { provide: DATABASE, useFactory: () => openDatabase(config.storage.path) },
        { provide: EventStoreRepository, useFactory: (db: Db) => new EventStoreRepository(db), inject: [DATABASE] },
        EventsService,
        MqttIngestService,
        DatabaseLifecycle,
      ],
    };
  }
}
