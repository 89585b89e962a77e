import { execFileSync } from 'node:child_process';
import { MpjpegParser } from './mpjpeg-parser';

function part(jpeg: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`--ffmpeg\r\nContent-type: image/jpeg\r\nContent-length: ${jpeg.length}\r\n\r\n`), jpeg, Buffer.from('\r\n')]);
}

describe(MpjpegParser.name, () => {
  it('should split parts whatever the chunk boundaries', () => {
    const a = Buffer.from([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]);
    const b = Buffer.from([0xff, 0xd8, 9, 0xff, 0xd9]);
    const stream = Buffer.concat([part(a), part(b), part(a)]);
    for (const size of [1, 3, 7, 64, stream.length]) {
      const out: Buffer[] = [];
      const parser = new MpjpegParser((j) => out.push(j));
      for (let i = 0; i < stream.length; i += size) parser.push(stream.subarray(i, i + size));
      expect(out).toEqual([a, b, a]);
    }
  });

  it('should parse real ffmpeg mpjpeg output into JPEG pictures', () => {
    const raw = execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=10', '-frames:v', '3', '-f', 'mpjpeg', '-']);
    const out: Buffer[] = [];
    new MpjpegParser((j) => out.push(j)).push(raw);
    expect(out).toHaveLength(3);
    for (const jpeg of out) {
      expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      expect(jpeg.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    }
  });

  it('should fail loudly on a stream that is not mpjpeg', () => {
    const parser = new MpjpegParser(() => undefined);
    expect(() => parser.push(Buffer.alloc(5000, 0x41))).toThrow(/no part header/);
  });
});
