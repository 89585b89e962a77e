import type { FrameSize } from './frame';

export interface InputOptions {
  /** RTSP lower transport; TCP survives NAT and packet loss better, so it is the default. */
  rtspTransport?: 'tcp' | 'udp';
  /** Socket I/O timeout in milliseconds; without one ffmpeg waits forever on a hung camera. */
  ioTimeoutMs?: number;
  /** Read files at their native frame rate, as a camera would deliver them (off for offline evaluation). */
  realtime?: boolean;
}

/**
 * ffmpeg input arguments for a camera URL, a clip on disk, or `lavfi:<graph>` synthetic input.
 * Kept apart from the output arguments so the same frame source runs on cameras, files and test patterns.
 */
export function inputArguments(url: string, options: InputOptions = {}): string[] {
  const ioTimeoutUs = String(Math.round((options.ioTimeoutMs ?? 5000) * 1000));
  if (/^rtsps?:\/\//i.test(url)) {
    // ffmpeg 5.1: `-timeout` is the RTSP socket timeout in microseconds (`-stimeout` no longer exists)
    return ['-rtsp_transport', options.rtspTransport ?? 'tcp', '-timeout', ioTimeoutUs, '-fflags', 'nobuffer', '-i', url];
  }
  if (/^(https?|rtmp|srt|udp|tcp):\/\//i.test(url)) {
    return ['-rw_timeout', ioTimeoutUs, '-i', url];
  }
  if (url.startsWith('lavfi:')) {
    return [...(options.realtime === false ? [] : ['-re']), '-f', 'lavfi', '-i', url.slice('lavfi:'.length)];
  }
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  return [...(options.realtime === false ? [] : ['-re']), '-i', path];
}

/** Output arguments (stdin stays open so `q` can stop ffmpeg cleanly): sample at `fps`, scale to the model's input size, raw RGB on stdout. */
export function frameOutputArguments(fps: number, size: FrameSize): string[] {
  return ['-an', '-sn', '-dn', '-vf', `fps=${fps},scale=${size.width}:${size.height}`, '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1'];
}

export function ffmpegArguments(input: string[], fps: number, size: FrameSize): string[] {
  return ['-hide_banner', '-loglevel', 'error', ...input, ...frameOutputArguments(fps, size)];
}
