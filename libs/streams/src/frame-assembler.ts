import type { Frame, FrameSize } from './frame';

/**
 * Picture buffers handed back once their frame is done with, for the next pictures of the same size: a camera
 * reads megabytes a second, and a fresh buffer for each picture kept the agent's garbage collector busy.
 */
export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();

  constructor(private readonly keep = 4) {}

  take(bytes: number): Buffer {
    return this.free.get(bytes)?.pop() ?? Buffer.allocUnsafe(bytes);
  }

  give(buffer: Buffer): void {
    const list = this.free.get(buffer.length) ?? [];
    this.free.set(buffer.length, list);
    if (list.length < this.keep && !list.includes(buffer)) list.push(buffer);
  }
}

/** A 'data' listener that cuts a raw video byte stream into pictures of `bytes` bytes, each in its own buffer. */
export function pictureReader(bytes: number, onPicture: (picture: Buffer) => void, pool?: BufferPool): (chunk: Buffer) => void {
  const take = () => pool?.take(bytes) ?? Buffer.allocUnsafe(bytes);
  let partial = take();
  let filled = 0;
  return (chunk) => {
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(bytes - filled, chunk.length - offset);
      partial.set(chunk.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === bytes) {
        const picture = partial;
        partial = take();
        filled = 0;
        onPicture(picture);
      }
    }
  };
}

/**
 * Numbered frames from one decode's pictures. With a side output (the same decode at a second size, on its own
 * pipe) a frame is complete when both of its pictures have arrived, in whichever order the pipes deliver them.
 */
export class FrameAssembler {
  private readonly models: Buffer[] = [];
  private readonly sides: Buffer[] = [];
  private seq = 0;

  constructor(
    private readonly size: FrameSize,
    private readonly side?: FrameSize,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Frames assembled so far. */
  get count(): number {
    return this.seq;
  }

  /** A model-size picture; returns the frames it completes. */
  model(picture: Buffer): Frame[] {
    this.models.push(picture);
    return this.drain();
  }

  /** A side-size picture; returns the frames it completes. */
  sidePicture(picture: Buffer): Frame[] {
    this.sides.push(picture);
    return this.drain();
  }

  private drain(): Frame[] {
    const frames: Frame[] = [];
    while (this.models.length && (!this.side || this.sides.length)) {
      const side = this.side ? this.sides.shift() : undefined;
      frames.push({ data: this.models.shift()!, width: this.size.width, height: this.size.height, seq: this.seq++, at: this.clock(), ...(side && { side }) });
    }
    return frames;
  }
}

/**
 * Frames per second over the last `windowMs` of wall time: a burst after a stall reads as the burst it is,
 * not as a high rate.
 */
export class FpsMeter {
  private readonly recent: number[] = [];
  fps = 0;

  constructor(private readonly windowMs = 5000) {}

  tick(at: number): number {
    this.recent.push(at);
    while (this.recent.length > 1 && this.recent[0] < at - this.windowMs) this.recent.shift();
    if (this.recent.length > 1) this.fps = (this.recent.length - 1) / ((at - this.recent[0]) / 1000);
    return this.fps;
  }
}
