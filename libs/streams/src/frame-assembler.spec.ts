import { BufferPool, FpsMeter, FrameAssembler, pictureReader } from './frame-assembler';

const picture = (bytes: number, first: number) => Buffer.from(Array.from({ length: bytes }, (_, i) => (first + i) % 256));

describe('pictureReader', () => {
  const bytes = 12; // a 2x2 RGB picture
  const stream = Buffer.concat([picture(bytes, 0), picture(bytes, 100), picture(bytes, 200)]);

  it.each([
    ['one chunk holding every picture', [36]],
    ['chunks that end exactly on pictures', [12, 12, 12]],
    ['a picture split across chunks', [5, 7, 12, 12]],
    ['chunks straddling picture boundaries', [7, 10, 19]],
    ['one byte at a time', Array<number>(36).fill(1)],
  ])('should cut %s into whole pictures in order', (_name, sizes) => {
    const pictures: Buffer[] = [];
    const read = pictureReader(bytes, (p) => pictures.push(p));
    let offset = 0;
    for (const size of sizes) {
      read(stream.subarray(offset, offset + size));
      offset += size;
    }
    expect(pictures).toEqual([picture(bytes, 0), picture(bytes, 100), picture(bytes, 200)]);
  });

  it('should keep a trailing partial picture back, and give each picture its own buffer', () => {
    const pictures: Buffer[] = [];
    const read = pictureReader(bytes, (p) => pictures.push(p));
    read(stream.subarray(0, 20));
    expect(pictures).toHaveLength(1);
    read(stream.subarray(20, 24));
    expect(pictures).toHaveLength(2);
    pictures[0][0] = 99;
    expect(pictures[1]).toEqual(picture(bytes, 100));
  });
});

describe('FrameAssembler', () => {
  const size = { width: 2, height: 2 };
  let now = 1000;
  const clock = () => now++;

  it('should number model pictures as frames when there is no side output', () => {
    const assembler = new FrameAssembler(size, undefined, clock);
    const frames = [...assembler.model(picture(12, 0)), ...assembler.model(picture(12, 1))];
    expect(frames.map((f) => [f.seq, f.width, f.height, f.side])).toEqual([
      [0, 2, 2, undefined],
      [1, 2, 2, undefined],
    ]);
    expect(assembler.count).toBe(2);
  });

  it('should complete a frame only when both pictures are in, whichever pipe delivers first', () => {
    const assembler = new FrameAssembler(size, { width: 1, height: 1 }, clock);
    expect(assembler.model(picture(12, 0))).toEqual([]);
    expect(assembler.model(picture(12, 1))).toEqual([]);
    const first = assembler.sidePicture(picture(3, 50));
    expect(first.map((f) => [f.seq, f.data[0], f.side?.[0]])).toEqual([[0, 0, 50]]);
    expect(assembler.sidePicture(picture(3, 51)).map((f) => [f.seq, f.data[0], f.side?.[0]])).toEqual([[1, 1, 51]]);
    // side ahead of the model output
    expect(assembler.sidePicture(picture(3, 52))).toEqual([]);
    expect(assembler.model(picture(12, 2)).map((f) => [f.seq, f.data[0], f.side?.[0]])).toEqual([[2, 2, 52]]);
    expect(assembler.count).toBe(3);
  });
});

describe('FpsMeter', () => {
  it('should measure the rate over its window, so a burst after a stall is not read as a high rate for long', () => {
    const meter = new FpsMeter(5000);
    for (let t = 0; t <= 4000; t += 250) meter.tick(t); // 4 fps
    expect(meter.fps).toBeCloseTo(4, 5);
    for (let t = 14_000; t <= 14_100; t += 20) meter.tick(t); // a 10 s gap, then 6 frames in 100 ms
    expect(meter.fps).toBeCloseTo(50, 5); // 5 intervals in 0.1 s: the 10 s gap does not dilute it
    for (let t = 14_350; t <= 19_100; t += 250) meter.tick(t); // back to 4 fps: the burst leaves the window
    expect(meter.fps).toBeCloseTo(4, 0);
  });
});

describe('BufferPool', () => {
  it('should hand back given buffers of the asked size, keep only a few, and never the same one twice', () => {
    const pool = new BufferPool(2);
    const [a, b, c] = [pool.take(12), pool.take(12), pool.take(12)];
    expect(new Set([a, b, c]).size).toBe(3);
    [a, b, c, a].forEach((buffer) => pool.give(buffer));
    expect(pool.take(6)).not.toBe(a); // another size: a new buffer
    const again = [pool.take(12), pool.take(12)];
    expect(new Set(again)).toEqual(new Set([a, b]));
    expect([a, b, c]).not.toContain(pool.take(12)); // c was one too many to keep
  });

  it('should let pictureReader fill given-back buffers with the next pictures', () => {
    const pool = new BufferPool();
    const pictures: Buffer[] = [];
    const read = pictureReader(12, (p) => pictures.push(p), pool);
    read(Buffer.concat([picture(12, 0), picture(12, 100)]));
    const [first] = pictures;
    pool.give(first);
    read(Buffer.concat([picture(12, 200), picture(12, 50)]));
    expect(pictures).toHaveLength(4);
    expect(pictures.slice(1).some((p) => p === first)).toBe(true);
    expect(pictures.slice(2)).toEqual([picture(12, 200), picture(12, 50)]);
  });
});
