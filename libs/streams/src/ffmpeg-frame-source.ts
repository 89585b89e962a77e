import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { ffmpegArguments, type PreviewOutput } from './ffmpeg-args';
import { explainFfmpegError } from './ffmpeg-errors';
import { BufferPool, FpsMeter, FrameAssembler, pictureReader } from './frame-assembler';
import { frameBytes, type Frame, type FrameSize } from './frame';
import { MpjpegParser } from './mpjpeg-parser';
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
  /** A second output from the same decode: JPEG pictures for snapshots, clips and live view. */
  preview?: PreviewOutput & { onJpeg: (jpeg: Buffer, at: number) => void };
  ffmpegPath?: string;
  /** A second raw output of the same frames at another size, attached to each frame as `side` (fd 4). */
  side?: FrameSize;
  /**
   * `latest` (live cameras): the newest frame wins and older undelivered frames are dropped.
   * `every` (files): every decoded frame is delivered in order; ffmpeg is paused while the consumer is behind,
   * so a busy machine slows the run down instead of changing what is scored.
   */
  delivery?: 'latest' | 'every';
  /**
   * A frame's buffers (`data`, `side`) are the consumer's only until it asks for the next frame; then they, and
   * those of frames dropped unseen, hold later pictures. For a consumer that copies what it keeps (the agent's
   * camera pipeline); others get fresh buffers for every frame.
   */
  reuseBuffers?: boolean;
}

/** Frames buffered in `every` mode before ffmpeg's output is paused. */
const EVERY_HIGH_WATER = 8;

export class StreamEndedError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
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

/** Wall time over which the delivered frame rate is measured. */
const FPS_WINDOW_MS = 5000;

/**
 * One ffmpeg session turned into an AsyncIterable of frames. The newest frame wins: while the consumer is busy,
 * older undelivered frames are dropped (and counted), so memory stays at one frame and latency cannot grow.
 * The iterable ends by throwing StreamEndedError when ffmpeg exits, whatever its exit code (ffmpeg exits 0
 * when an RTSP server goes away), or StreamStalledError when frames stop but the process does not.
 */
export class FfmpegFrameSource {
  dropped = 0;
  /** Frames per second actually read, smoothed over about the last second. */
  measuredFps = 0;

  constructor(private readonly options: FfmpegFrameSourceOptions) {}

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame> {
    const { fps, size, preview, side } = this.options;
    const child = spawn(this.options.ffmpegPath ?? 'ffmpeg', ffmpegArguments(this.options.input, fps, size, preview, side), {
      stdio: side ? ['pipe', 'pipe', 'pipe', preview ? 'pipe' : 'ignore', 'pipe'] : preview ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe'],
    });
    const stdout = child.stdout as Readable;
    const stderrStream = child.stderr as Readable;
    const sideStream = side ? (child.stdio[4] as Readable) : undefined;
    const assembler = new FrameAssembler(size, side);
    const meter = new FpsMeter(FPS_WINDOW_MS);
    const every = this.options.delivery === 'every';
    const pool = this.options.reuseBuffers ? new BufferPool() : undefined;
    const recycle = (frame: Frame) => {
      if (!pool) return;
      pool.give(frame.data);
      if (frame.side) pool.give(frame.side);
    };
    const queue: Frame[] = [];
    let ended: Error | undefined;
    let wake: (() => void) | undefined;
    let stderr = '';
    let lastFrameAt = Date.now();
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const fail = (err: Error) => {
      ended ??= err;
      notify();
    };
    const enqueue = (frames: Frame[]) => {
      for (const frame of frames) {
        if (!every && queue.length) {
          queue.forEach(recycle);
          queue.length = 0;
          this.dropped++;
        }
        this.measuredFps = meter.tick(frame.at);
        lastFrameAt = frame.at;
        queue.push(frame);
        if (every && queue.length >= EVERY_HIGH_WATER) {
          stdout.pause();
          sideStream?.pause();
        }
        notify();
      }
    };

    stdout.on(
      'data',
      pictureReader(frameBytes(size), (picture) => enqueue(assembler.model(picture)), pool),
    );
    if (side && sideStream) {
      sideStream.on(
        'data',
        pictureReader(frameBytes(side), (picture) => enqueue(assembler.sidePicture(picture)), pool),
      );
    }
    if (preview) {
      const parser = new MpjpegParser((jpeg) => preview.onJpeg(jpeg, Date.now()));
      (child.stdio[3] as Readable).on('data', (chunk: Buffer) => {
        try {
          parser.push(chunk);
        } catch (err) {
          fail(new StreamEndedError(`preview output is corrupt: ${(err as Error).message}`, null, ''));
        }
      });
    }
    stderrStream.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', (err) => fail(new StreamEndedError(`cannot run ffmpeg: ${err.message}; install ffmpeg or set its path`, null, '')));
    child.on('close', (code) => {
      const tail = redactUrl(stderr.trim().split('\n').slice(-3).join(' | '));
      const hint = explainFfmpegError(stderr);
      const detail = tail ? `: ${hint ? `${hint} (${tail})` : tail}` : ' (stream closed)';
      fail(new StreamEndedError(`ffmpeg exited with code ${code}${detail}`, code, redactUrl(stderr)));
    });
    const stallMs = this.options.stallTimeoutMs ?? 0;
    const firstFrameMs = this.options.firstFrameTimeoutMs ?? stallMs * 2;
    const watchdog = stallMs
      ? setInterval(
          () => {
            const silent = Date.now() - lastFrameAt;
            if (silent > (assembler.count === 0 ? firstFrameMs : stallMs)) fail(new StreamStalledError(silent, assembler.count === 0));
          },
          Math.min(1000, stallMs / 2),
        )
      : undefined;
    signal?.addEventListener('abort', notify);

    try {
      while (!signal?.aborted) {
        const frame = queue.shift();
        if (frame) {
          if (every && queue.length < EVERY_HIGH_WATER / 2) {
            lastFrameAt = Date.now(); // a paused decoder is waiting for us, not stalled
            stdout.resume();
            sideStream?.resume();
          }
          yield frame;
          recycle(frame);
          continue;
        }
        if (ended) throw ended;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      if (watchdog) clearInterval(watchdog);
      signal?.removeEventListener('abort', notify);
      await stopProcess(child);
    }
  }
}
