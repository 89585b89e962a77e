import { Aedes } from 'aedes';
import { createServer, type Server } from 'node:net';

/**
 * The zero-setup MQTT broker (aedes) for a single-box site. Sites with a real broker (mosquitto, EMQX)
 * leave it off and point mqtt.url there instead.
 */
export class EmbeddedBroker {
  private constructor(
    private readonly broker: Aedes,
    private readonly server: Server,
  ) {}

  static async start(host: string, port: number): Promise<EmbeddedBroker> {
    const broker = await Aedes.createBroker();
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
    return new EmbeddedBroker(broker, server);
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
