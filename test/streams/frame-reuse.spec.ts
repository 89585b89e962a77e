import { FfmpegFrameSource, inputArguments, StreamEndedError, type Frame } from '@vigil/streams';
import { createHash } from 'node:crypto';
import { fixtureClip } from '../support/clips';

jest.setTimeout(60_000);

/** Every frame of `file` (model size and letterboxed side picture) as a digest taken on arrival, and the buffers it came in. */
async function decode(file: string, reuseBuffers: boolean): Promise<{ digests: string[]; buffers: Set<Buffer> }> {
  const source = new FfmpegFrameSource({
    input: inputArguments(file, { realtime: false }),
    fps: 4,
    size: { width: 64, height: 48 },
    side: { width: 96, height: 96, fit: 'letterbox' },
    delivery: 'every',
    reuseBuffers,
  });
  const digests: string[] = [];
  const buffers = new Set<Buffer>();
  try {
    for await (const frame of source.frames() as AsyncGenerator<Frame & { side: Buffer }>) {
      digests.push(createHash('sha1').update(frame.data).update(frame.side).digest('hex'));
      buffers.add(frame.data).add(frame.side);
    }
  } catch (err) {
    if (!(err instanceof StreamEndedError)) throw err;
  }
  return { digests, buffers };
}

describe('frame buffers reused by the frame source (reuseBuffers)', () => {
  it('should deliver the same pictures as fresh buffers do, in a handful of buffers', async () => {
    const clip = await fixtureClip('fall');
    const fresh = await decode(clip, false);
    const reused = await decode(clip, true);
    expect(fresh.digests.length).toBeGreaterThan(20);
    expect(reused.digests).toEqual(fresh.digests);
    expect(fresh.buffers.size).toBe(2 * fresh.digests.length);
    expect(reused.buffers.size).toBeLessThan(fresh.digests.length / 2);
  });
});
