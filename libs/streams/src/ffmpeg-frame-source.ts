import { spawn, type ChildProcess } from 'node:child_process';
import { ffmpegArguments } from './ffmpeg-args';
import { frameBytes, type Frame, type FrameSize } from './frame';
import { redactUrl } from './redact';
import { stopProcess } from './stop-process';

export interface FfmpegFrameSourceOptions {
  /** ffmpeg input arguments, see `inputArguments()`. */
  input: string[];
  /** Analysis frame rate (frames per second) ffmpeg samples the stream at. */
  fps: number;
  size: FrameSize;
  /** Restart when no frame arrived for this long (ms); covers hung cameras that keep the socket open. */
  stallTimeoutMs?: number;
  /** Allowance for the first frame (RTSP set-up, waiting for a key frame); default twice `stallTimeoutMs`. */
  firstFrameTimeoutMs?: number;
  ffmpegPath?: string;
}

export class StreamEndedError extends Error {
  constructor(message: string, readonly exitCode: number | null, readonly stderr: string) {
    super(message);
    this.name = 'StreamEndedError';
  }
}

export class StreamStalledError extends Error {
  constructor(
    readonly silentMs: number,
    readonly beforeFirstFrame = false,
  ) {
    super(`${beforeFirstFrame ? 'no first frame within' : 'no frame for'} ${Math.round(silentMs / 1000)} s; restarting ffmpeg`);
    this.name = 'StreamStalledError';
  }
}

/**
 * One ffmpeg session turned into an AsyncIterable of frames. The newest frame wins: while the consumer is busy,
 * older undelivered frames are dropped (and counted), so memory stays at one frame and latency cannot grow.
 * The iterable ends by throwing StreamEndedError when ffmpeg exits, whatever its exit code (ffmpeg exits 0
 * when an RTSP server goes away).
 */
export class FfmpegFrameSource {
  dropped = 0;
  delivered = 0;

  constructor(private readonly options: FfmpegFrameSourceOptions) {}

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame> {
    const { fps, size } = this.options;
    const bytes = frameBytes(size);
    const child = spawn(this.options.ffmpegPath ?? 'ffmpeg', ffmpegArguments(this.options.input, fps, size), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let pending: Frame | undefined;
    let ended: Error | undefined;
    let wake: (() => void) | undefined;
    let seq = 0;
    let partial = Buffer.allocUnsafe(bytes);
    let filled = 0;
    let stderr = '';
    let lastFrameAt = Date.now();
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };

    child.stdout.on('data', (chunk: Buffer) => {
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(bytes - filled, chunk.length - offset);
        partial.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === bytes) {
          if (pending) this.dropped++;
          lastFrameAt = Date.now();
          pending = { data: partial, width: size.width, height: size.height, seq: seq++, at: lastFrameAt };
          partial = Buffer.allocUnsafe(bytes);
          filled = 0;
          notify();
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', (err) => {
      ended ??= new StreamEndedError(`cannot run ffmpeg: ${err.message}; install ffmpeg or set its path`, null, '');
      notify();
    });
    child.on('close', (code) => {
      const tail = redactUrl(stderr.trim().split('\n').slice(-3).join(' | '));
      ended ??= new StreamEndedError(`ffmpeg exited with code ${code}${tail ? `: ${tail}` : ' (stream closed)'}`, code, redactUrl(stderr));
      notify();
    });
    const stallMs = this.options.stallTimeoutMs ?? 0;
    const firstFrameMs = this.options.firstFrameTimeoutMs ?? stallMs * 2;
    const watchdog = stallMs
      ? setInterval(() => {
          const silent = Date.now() - lastFrameAt;
          if (silent > (seq === 0 ? firstFrameMs : stallMs) && !ended) {
            ended = new StreamStalledError(silent, seq === 0);
            notify();
          }
        }, Math.min(1000, stallMs / 2))
      : undefined;
    const onAbort = () => notify();
    signal?.addEventListener('abort', onAbort);

    try {
      while (!signal?.aborted) {
        if (pending) {
          const frame = pending;
          pending = undefined;
          this.delivered++;
          yield frame;
          continue;
        }
        if (ended) throw ended;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      if (watchdog) clearInterval(watchdog);
      signal?.removeEventListener('abort', onAbort);
      await stopProcess(child as ChildProcess);
    }
  }
}
