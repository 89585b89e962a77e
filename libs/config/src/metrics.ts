import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * Metrics read from the app's own state at scrape time: `gauge` for a value that goes up and down, `counter` for
 * a running total that only grows until a restart. Both apps register theirs through these.
 */
export function scrapedMetrics(registry: Registry) {
  return {
    gauge(name: string, help: string, read: () => number): Gauge {
      return new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    },
    counter(name: string, help: string, read: () => number): Counter {
      return new Counter({
        name,
        help,
        registers: [registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    },
  };
}
