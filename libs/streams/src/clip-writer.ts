import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { setPriority } from 'node:os';
import { dirname } from 'node:path';
import type { TimedJpeg } from './jpeg-ring';

export interface ClipOptions {
  ffmpegPath?: string;
  /** Process priority of the encoder (0-19): cameras' decoders and the model come first. Default 10. */
  niceness?: number;
  /** Encoder threads. Default 1: a clip is a few seconds of small pictures, and the cores belong to the cameras. */
  threads?: number;
}

/**
 * Encodes preview pictures into an H.264 MP4 that browsers play (yuv420p, faststart). Written to a temporary name
 * and renamed, so a reader never sees half a file.
 */
export async function writeClip(pictures: readonly TimedJpeg[], path: string, fps: number, options: ClipOptions = {}): Promise<void> {
  const { ffmpegPath = 'ffmpeg', niceness = 10, threads = 1 } = options;
  if (!pictures.length) throw new Error(`no preview pictures to write into ${path}`);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.part.mp4`;
  const child = spawn(
    ffmpegPath,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'image2pipe',
      '-c:v',
      'mjpeg',
      '-framerate',
      String(fps),
      '-i',
      'pipe:0',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-threads',
      String(threads),
      '-pix_fmt',
      'yuv420p',
      '-vf',
      'pad=ceil(iw/2)*2:ceil(ih/2)*2',
      '-movflags',
      '+faststart',
      tmp,
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  if (child.pid !== undefined && niceness > 0) {
    try {
      setPriority(child.pid, niceness);
    } catch {
      // a container without CAP_SYS_NICE may refuse; the clip is still written, at normal priority
    }
  }
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const done = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  child.stdin.on('error', () => undefined); // an early ffmpeg exit is reported through its exit code below
  for (const picture of pictures) {
    if (!child.stdin.write(picture.data)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  const code = await done;
  if (code !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(`ffmpeg could not write the clip ${path} (exit ${code}): ${stderr.trim()}`);
  }
  renameSync(tmp, path);
}
