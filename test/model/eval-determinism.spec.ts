import { loadVideoModel, shippedModelCard, type VideoModel } from '@vigil/model';
import { FfmpegFrameSource, inputArguments, StreamEndedError } from '@vigil/streams';
import { setTimeout as sleep } from 'node:timers/promises';
import { scoreClip, viewsScoring } from '../../scripts/eval-clip';
import { fixtureClip, videoSeconds } from '../support/clips';
import { start, stopAll } from '../support/processes';

/** A file is evaluated frame by frame, so what is scored cannot depend on how busy the machine is. */
describe('evaluation decode', () => {
  jest.setTimeout(120_000);
  afterAll(() => stopAll());

  it('should deliver every frame of a file in order to a slow reader, where a live camera keeps only the newest', async () => {
    const input = inputArguments('lavfi:testsrc2=size=320x180:rate=25:duration=3', { realtime: false });
    const read = async (delivery: 'every' | 'latest') => {
      const source = new FfmpegFrameSource({ input, fps: 4, size: { width: 32, height: 32 }, delivery });
      const seqs: number[] = [];
      try {
        for await (const frame of source.frames()) {
          seqs.push(frame.seq);
          await sleep(40);
        }
      } catch (err) {
        if (!(err instanceof StreamEndedError)) throw err;
      }
      return { seqs, dropped: source.dropped };
    };
    const every = await read('every');
    expect(every.dropped).toBe(0);
    expect(every.seqs).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const latest = await read('latest');
    expect(latest.dropped).toBeGreaterThan(0);
    expect(latest.seqs.length + latest.dropped).toBe(12);
  });

  it('should attach each frame letterboxed at a second size, in step with the model frames', async () => {
    // a 16:9 picture letterboxed into a square has black bars above and below; the stretched model frame has none
    const source = new FfmpegFrameSource({
      input: inputArguments('lavfi:testsrc2=size=320x180:rate=25:duration=2', { realtime: false }),
      fps: 4,
      size: { width: 32, height: 32 },
      side: { width: 64, height: 64, fit: 'letterbox' },
      delivery: 'every',
    });
    const frames = [];
    try {
      for await (const frame of source.frames()) frames.push(frame);
    } catch (err) {
      if (!(err instanceof StreamEndedError)) throw err;
    }
    expect(frames).toHaveLength(8);
    for (const f of frames) {
      expect(f.side).toHaveLength(64 * 64 * 3);
      const row = (buf: Buffer, width: number, y: number) => buf.subarray(y * width * 3, (y + 1) * width * 3);
      expect(Math.max(...row(f.side!, 64, 2))).toBe(0); // bar: (64 - 36) / 2 = 14 rows
      expect(Math.max(...row(f.side!, 64, 32))).toBeGreaterThan(50);
      expect(Math.max(...row(f.data, 32, 1))).toBeGreaterThan(50);
    }
  });

  it('should score a clip the same, window for window, on an idle machine and under full CPU load', async () => {
    const file = await fixtureClip('fall');
    const model: VideoModel = await loadVideoModel(shippedModelCard('window'), { intraOpThreads: 1, maxBatch: 1 });
    const clip = { file, cls: 'fall' as const, source: 'fixture', dataset: 'synthetic', onset: 5 };
    try {
      const idle = await scoreClip(viewsScoring(model), clip);
      const burners = [0, 1].map(() => start('node', ['-e', 'for (;;) {}']));
      await sleep(300);
      const loaded = await scoreClip(viewsScoring(model), clip);
      await Promise.all(burners.map((b) => b.stop('SIGKILL')));
      expect(idle.frames).toBe(Math.round(videoSeconds(file) * model.card.input.fps));
      expect(loaded.frames).toBe(idle.frames);
      expect(loaded.result.windows).toEqual(idle.result.windows);
      expect(idle.result.windows.length).toBeGreaterThan(20);
    } finally {
      await model.release();
    }
  });
});
