import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { createServer, type Server } from 'node:net';
import { mayPublish, maySubscribe, passwordMatches, type BrokerUser } from './broker-users';

/** Larger publishes are refused (the largest Vigil sends is a retained snapshot JPEG, well under this). */
export const MAX_PUBLISH_BYTES = 2 * 1024 * 1024;

export interface EmbeddedBrokerAccess {
  users: BrokerUser[];
  topicPrefix: string;
  discoveryPrefix: string;
}

function refused(code: 4 | 5, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: code }) as AuthenticateError;
}

/**
 * The zero-setup MQTT broker (aedes) for a single-box site, with users and topic rules: no anonymous clients, an
 * agent writes only its own site's topics, readers (the console, Home Assistant) publish nothing. Sites with a
 * real broker (mosquitto, EMQX) leave it off and point mqtt.url there instead (docker/mosquitto.conf).
 */
export class EmbeddedBroker {
  /** Publishes and subscriptions refused by the topic rules, since start. */
  refused = 0;

  private constructor(
    private readonly broker: Aedes,
    private readonly server: Server,
  ) {}

  static async start(host: string, port: number, access: EmbeddedBrokerAccess): Promise<EmbeddedBroker> {
    const who = new WeakMap<Client, BrokerUser>();
    const broker = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        const user = access.users.find((u) => u.username === username);
        if (!user || !passwordMatches(password, user.password)) return done(refused(4, 'bad user name or password'), false);
        who.set(client, user);
        done(null, true);
      },
      authorizePublish: (client, packet, done) => {
        const user = client ? who.get(client) : undefined;
        if (!client) return done(null);
        if (!user || !mayPublish(user, packet.topic, access.topicPrefix, access.discoveryPrefix) || packet.payload.length > MAX_PUBLISH_BYTES) {
          instance.refused++;
          return done(new Error(`not authorised to publish to ${packet.topic}`));
        }
        done(null);
      },
      authorizeSubscribe: (client, subscription, done) => {
        const user = who.get(client);
        if (!user || !maySubscribe(user, subscription.topic, access.topicPrefix, access.discoveryPrefix)) {
          instance.refused++;
          return done(null, null);
        }
        done(null, subscription);
      },
    });
    const server = createServer(broker.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new Error(
            err.code === 'EADDRINUSE'
              ? `Cannot start the embedded MQTT broker: ${host}:${port} is already in use; stop the other broker or set mqtt.embeddedBroker.port`
              : `Cannot start the embedded MQTT broker on ${host}:${port}: ${err.message}`,
          ),
        ),
      );
      server.listen(port, host, () => resolve());
    });
    const instance = new EmbeddedBroker(broker, server);
    return instance;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
