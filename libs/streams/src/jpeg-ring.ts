export interface TimedJpeg {
  /** Wall-clock ms when the picture was read. */
  at: number;
  data: Buffer;
}

/**
 * The newest preview pictures of one camera, bounded by age and by bytes, for event snapshots and clips.
 * Memory per camera is at most `maxBytes` whatever the stream does.
 */
export class JpegRing {
  private items: TimedJpeg[] = [];
  private bytes = 0;

  constructor(
    readonly maxAgeMs: number,
    readonly maxBytes: number,
  ) {}

  push(item: TimedJpeg): void {
    this.items.push(item);
    this.bytes += item.data.length;
    const oldest = item.at - this.maxAgeMs;
    while (this.items.length > 1 && (this.bytes > this.maxBytes || this.items[0].at < oldest)) {
      this.bytes -= this.items.shift()!.data.length;
    }
  }

  get latest(): TimedJpeg | undefined {
    return this.items[this.items.length - 1];
  }

  get size(): { count: number; bytes: number } {
    return { count: this.items.length, bytes: this.bytes };
  }

  /** Pictures with from <= at <= to, oldest first. */
  between(from: number, to: number): TimedJpeg[] {
    return this.items.filter((i) => i.at >= from && i.at <= to);
  }

  /** The picture taken closest to `at`. */
  nearest(at: number): TimedJpeg | undefined {
    let best: TimedJpeg | undefined;
    for (const item of this.items) if (!best || Math.abs(item.at - at) < Math.abs(best.at - at)) best = item;
    return best;
  }
}
