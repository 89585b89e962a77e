/**
 * Sliding temporal window: keeps the newest `size` items and releases a full window every `hop` pushes.
 * Pure and synchronous, so it is trivially testable and shared by the agent and the evaluation CLI.
 */
export class SlidingWindow<T> {
  private readonly items: T[] = [];
  private sinceLast = 0;
  private emitted = false;

  constructor(
    readonly size: number,
    readonly hop: number,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`window size must be a positive integer, got ${size}`);
    if (!Number.isInteger(hop) || hop < 1) throw new RangeError(`window hop must be a positive integer, got ${hop}`);
  }

  /** Adds one item; returns a window (oldest first) when one is due, else undefined. */
  push(item: T): T[] | undefined {
    this.items.push(item);
    if (this.items.length > this.size) this.items.shift();
    this.sinceLast++;
    if (this.items.length < this.size) return undefined;
    if (this.emitted && this.sinceLast < this.hop) return undefined;
    this.emitted = true;
    this.sinceLast = 0;
    return [...this.items];
  }

  /** Forget everything, e.g. after a reconnect: frames on either side of a gap do not form one window. */
  reset(): void {
    this.items.length = 0;
    this.sinceLast = 0;
    this.emitted = false;
  }
}
