import type { FrameSize } from './frame';

export interface InputOptions {
  /** Decoder arguments from `hwaccelArguments()`, placed before `-i`. */
  decoder?: string[];
  /** RTSP lower transport; TCP survives NAT and packet loss better, so it is the default. */
  rtspTransport?: 'tcp' | 'udp';
  /** Socket I/O timeout in milliseconds; without one ffmpeg waits forever on a hung camera. */
  ioTimeoutMs?: number;
  /** Read files at their native frame rate, as a camera would deliver them (off for offline evaluation). */
  realtime?: boolean;
}

/**
 * Live streams decode with slice threads only: ffmpeg's default frame threading holds one frame per extra thread
 * (about 130 ms at 15 fps on 2 cores, measured from the moment the camera sends a frame), and a camera's alert
 * waits for it. Hardware decoders ignore it.
 */
const LIVE_DECODE = ['-thread_type', 'slice'];

/**
 * ffmpeg input arguments for a camera URL, a clip on disk, or `lavfi:<graph>` synthetic input.
 * Kept apart from the output arguments so the same frame source runs on cameras, files and test patterns.
 */
export function inputArguments(url: string, options: InputOptions = {}): string[] {
  const ioTimeoutUs = String(Math.round((options.ioTimeoutMs ?? 5000) * 1000));
  const decoder = options.decoder ?? [];
  if (/^rtsps?:\/\//i.test(url)) {
    // ffmpeg 5.1: `-timeout` is the RTSP socket timeout in microseconds (`-stimeout` no longer exists).
    // Probing stops at the first decodable picture: the SDP and the first keyframe carry what the decoder needs,
    // and a full probe buffer costs seconds on a low-bitrate sub-stream before the first frame and after reconnects.
    // No `-fflags nobuffer`: it drops the probed packets, so decoding would wait a whole GOP for the next keyframe.
    return [
      '-rtsp_transport',
      options.rtspTransport ?? 'tcp',
      '-timeout',
      ioTimeoutUs,
      '-analyzeduration',
      '0',
      '-probesize',
      '32',
      ...LIVE_DECODE,
      ...decoder,
      '-i',
      url,
    ];
  }
  if (/^(https?|rtmp|srt|udp|tcp):\/\//i.test(url)) {
    return ['-rw_timeout', ioTimeoutUs, ...LIVE_DECODE, ...decoder, '-i', url];
  }
  const realtime = options.realtime === false ? [] : ['-re'];
  if (url.startsWith('lavfi:')) {
    return [...realtime, '-f', 'lavfi', '-i', url.slice('lavfi:'.length)];
  }
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  return [...realtime, ...decoder, '-i', path];
}

export interface PreviewOutput {
  /** Preview pictures per second (snapshots, clips, live view). */
  fps: number;
  /** Preview width in pixels; height follows the camera's aspect ratio. */
  width: number;
  /** JPEG quality scale of ffmpeg's mjpeg encoder, 2 (best) .. 31 (smallest). */
  quality?: number;
}

/** The scale filter for a model input size, stretched or letterboxed (see FrameSize.fit). */
export function scaleFilter(size: FrameSize): string {
  const { width: w, height: h } = size;
  return size.fit === 'letterbox' ? `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2` : `scale=${w}:${h}`;
}

/** Output arguments: sample at `fps`, scale to the model's input size, raw RGB on stdout. */
export function frameOutputArguments(fps: number, size: FrameSize): string[] {
  return ['-an', '-sn', '-dn', '-vf', `fps=${fps},${scaleFilter(size)}`, '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1'];
}

/**
 * One decode, several outputs: model frames (raw RGB, stdout), preview JPEGs (multipart, fd 3) and, with `side`, the
 * same sampled frames at a second size (raw RGB, fd 4; e.g. letterboxed for the pose model). The decoder runs once
 * per camera whatever the number of consumers, and the two raw outputs carry the same frames in the same order.
 */
export function dualOutputArguments(fps: number, size: FrameSize, preview?: PreviewOutput, side?: FrameSize): string[] {
  const sampled = side
    ? `fps=${fps},split=2[ms][ss];[ms]${scaleFilter(size)},format=rgb24[model];[ss]${scaleFilter(side)},format=rgb24[side]`
    : `fps=${fps},${scaleFilter(size)},format=rgb24[model]`;
  const graph = preview ? `[0:v]split=2[m][p];[m]${sampled};[p]fps=${preview.fps},scale=${preview.width}:-2,format=yuvj420p[preview]` : `[0:v]${sampled}`;
  return [
    '-filter_complex',
    graph,
    '-map',
    '[model]',
    '-f',
    'rawvideo',
    'pipe:1',
    ...(preview ? ['-map', '[preview]', '-c:v', 'mjpeg', '-q:v', String(preview.quality ?? 5), '-f', 'mpjpeg', 'pipe:3'] : []),
    ...(side ? ['-map', '[side]', '-f', 'rawvideo', 'pipe:4'] : []),
  ];
}

/** The full command line (stdin stays open so `q` can stop ffmpeg cleanly). */
export function ffmpegArguments(input: string[], fps: number, size: FrameSize, preview?: PreviewOutput, side?: FrameSize): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    ...input,
    ...(preview || side ? dualOutputArguments(fps, size, preview, side) : frameOutputArguments(fps, size)),
  ];
}
