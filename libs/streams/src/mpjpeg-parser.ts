const HEADER_END = Buffer.from('\r\n\r\n');
const LENGTH = /content-length:\s*(\d+)/i;
const MAX_PART = 16 * 1024 * 1024;

/**
 * Incremental parser for ffmpeg's `-f mpjpeg` output (`--boundary`, headers with Content-length, then the JPEG).
 * Feed it chunks in any sizes; it calls `onJpeg` once per complete picture and keeps at most one part buffered.
 */
export class MpjpegParser {
  private buffer: Buffer = Buffer.alloc(0);
  private need = -1;

  constructor(private readonly onJpeg: (jpeg: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.need < 0) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buffer.length > 4096) throw new Error('multipart JPEG stream has no part header in 4 KiB; not mpjpeg output');
          return;
        }
        const header = this.buffer.subarray(0, end).toString('latin1');
        const m = LENGTH.exec(header);
        if (!m) throw new Error(`multipart JPEG part without Content-length: ${JSON.stringify(header.slice(0, 120))}`);
        this.need = Number(m[1]);
        if (this.need > MAX_PART) throw new Error(`multipart JPEG part of ${this.need} bytes is larger than ${MAX_PART}`);
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
      }
      if (this.buffer.length < this.need) return;
      this.onJpeg(Buffer.from(this.buffer.subarray(0, this.need)));
      this.buffer = this.buffer.subarray(this.need);
      this.need = -1;
    }
  }
}
