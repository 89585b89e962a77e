/** One decoded picture, packed RGB (rgb24), exactly width * height * 3 bytes. */
export interface Frame {
  data: Buffer;
  width: number;
  height: number;
  /** 0, 1, 2 ... since this ffmpeg session started. */
  seq: number;
  /** Wall-clock time (ms since epoch) at which the frame was read from ffmpeg. */
  at: number;
  /** The same picture at the source's `side` size, when it has one (packed RGB). */
  side?: Buffer;
}

export interface FrameSize {
  width: number;
  height: number;
  /**
   * `stretch` (default) squashes the picture to the size, as the video models were trained; `letterbox` keeps the
   * camera's aspect ratio and pads with black, as pose models expect people to be shaped.
   */
  fit?: 'stretch' | 'letterbox';
}

export function frameBytes(size: FrameSize): number {
  return size.width * size.height * 3;
}
