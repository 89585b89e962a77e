import { backoffDelay, sleep, type BackoffOptions } from './backoff';
import { StreamStalledError } from './ffmpeg-frame-source';
import type { Frame } from './frame';

/** connecting: ffmpeg started, no frame yet; online: frames flow; stalled: frames stopped, restarting; offline: session ended, waiting to retry. */
export type StreamState = 'connecting' | 'online' | 'stalled' | 'offline';

export interface StreamStatus {
  state: StreamState;
  /** Sessions restarted so far (any ffmpeg exit or stall counts). */
  reconnects: number;
  lastError?: string;
  /** Wall-clock ms of the newest frame. */
  lastFrameAt?: number;
  /** Frames per second read in the current session. */
  fps: number;
  /** Frames dropped because the consumer was busy (latest frame wins), all sessions. */
  dropped: number;
}

export interface FrameSession {
  frames(signal?: AbortSignal): AsyncIterable<Frame>;
  readonly measuredFps?: number;
  readonly dropped?: number;
}

export interface ResilientOptions {
  backoff: BackoffOptions;
  onStatus?: (status: StreamStatus) => void;
}

/**
 * Keeps frames coming from a camera across ffmpeg exits, stalls and network loss: every session end is
 * reported, then a new session starts after an exponential backoff (with jitter) that resets once frames flow
 * again. Ends only when `signal` aborts.
 */
export class ResilientFrameSource {
  private state: StreamState = 'connecting';
  private reconnects = 0;
  private lastError?: string;
  private lastFrameAt?: number;
  private session?: FrameSession;
  private droppedBefore = 0;

  constructor(
    private readonly openSession: () => FrameSession,
    private readonly options: ResilientOptions,
  ) {}

  get current(): StreamStatus {
    return {
      state: this.state,
      reconnects: this.reconnects,
      lastError: this.lastError,
      lastFrameAt: this.lastFrameAt,
      fps: this.state === 'online' ? Math.round((this.session?.measuredFps ?? 0) * 100) / 100 : 0,
      dropped: this.droppedBefore + (this.session?.dropped ?? 0),
    };
  }

  async *frames(signal: AbortSignal): AsyncGenerator<Frame> {
    let attempt = 0;
    while (!signal.aborted) {
      this.droppedBefore += this.session?.dropped ?? 0;
      this.session = this.openSession();
      this.update('connecting');
      try {
        for await (const frame of this.session.frames(signal)) {
          this.lastFrameAt = frame.at;
          if (this.state !== 'online') this.update('online');
          attempt = 0;
          yield frame;
        }
        if (signal.aborted) break;
        this.update('offline', 'stream ended');
      } catch (err) {
        if (signal.aborted) break;
        this.update(err instanceof StreamStalledError ? 'stalled' : 'offline', (err as Error).message);
      }
      this.reconnects++;
      await sleep(backoffDelay(attempt++, this.options.backoff), signal);
    }
    this.update('offline');
  }

  private update(state: StreamState, error?: string): void {
    const changed = state !== this.state || (error !== undefined && error !== this.lastError);
    this.state = state;
    if (error !== undefined) this.lastError = error;
    if (state === 'online') this.lastError = undefined;
    if (changed) this.options.onStatus?.(this.current);
  }
}
