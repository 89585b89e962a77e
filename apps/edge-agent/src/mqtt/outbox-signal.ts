import { Injectable } from '@nestjs/common';

/** Wakes the outbox publisher when a row is written, so delivery does not wait for a polling interval. */
@Injectable()
export class OutboxSignal {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    waiters.forEach((w) => w());
  }

  /** Resolves on the next notify() or after `timeoutMs`, whichever is first; either way the waiter is gone. */
  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  /** Callers waiting now. */
  get waiting(): number {
    return this.waiters.size;
  }
}
