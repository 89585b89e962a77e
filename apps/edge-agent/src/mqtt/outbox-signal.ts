import { Injectable } from '@nestjs/common';

/** Wakes the outbox publisher when a row is written, so delivery does not wait for a polling interval. */
@Injectable()
export class OutboxSignal {
  private waiters: Array<() => void> = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  /** Resolves on the next notify() or after `timeoutMs`, whichever is first. */
  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiter = () => done();
      this.waiters.push(waiter);
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
