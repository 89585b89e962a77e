import { backoffDelay, sleep, type BackoffOptions } from './backoff';
import type { Frame } from './frame';

export type StreamState = 'connecting' | 'online' | 'offline';

export interface StreamStatus {
  state: StreamState;
  /** Restarts so far (any ffmpeg exit or stall counts). */
  reconnects: number;
  lastError?: string;
  /** Wall-clock ms of the newest frame. */
  lastFrameAt?: number;
}

export interface FrameSession {
  frames(signal?: AbortSignal): AsyncIterable<Frame>;
}

export interface ResilientOptions {
  backoff: BackoffOptions;
  onStatus?: (status: StreamStatus) => void;
}

/**
 * Keeps frames coming from a camera across ffmpeg exits, stalls and network loss: every session end is
 * reported, then a new session starts after an exponential backoff that resets once frames flow again.
 * Ends only when `signal` aborts.
 */
export class ResilientFrameSource {
  private status: StreamStatus = { state: 'connecting', reconnects: 0 };

  constructor(
    private readonly openSession: () => FrameSession,
    private readonly options: ResilientOptions,
  ) {}

  get current(): StreamStatus {
    return { ...this.status };
  }

  async *frames(signal: AbortSignal): AsyncGenerator<Frame> {
    let attempt = 0;
    while (!signal.aborted) {
      this.update({ state: 'connecting' });
      try {
        for await (const frame of this.openSession().frames(signal)) {
          if (this.status.state !== 'online') this.update({ state: 'online', lastError: undefined });
          this.status.lastFrameAt = frame.at;
          attempt = 0;
          yield frame;
        }
        if (signal.aborted) break;
        this.update({ state: 'offline', lastError: 'stream ended' });
      } catch (err) {
        if (signal.aborted) break;
        this.update({ state: 'offline', lastError: (err as Error).message });
      }
      this.status.reconnects++;
      await sleep(backoffDelay(attempt++, this.options.backoff), signal);
    }
    this.update({ state: 'offline', lastError: undefined });
  }

  private update(change: Partial<StreamStatus>): void {
    const before = this.status.state;
    this.status = { ...this.status, ...change };
    if (change.state !== before || change.lastError) this.options.onStatus?.(this.current);
  }
}
