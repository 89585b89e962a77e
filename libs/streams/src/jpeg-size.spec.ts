import { execFileSync } from 'node:child_process';
import { jpegSize } from './jpeg-size';

describe('jpegSize', () => {
  it("should read a JPEG's size from its frame header, as ffmpeg writes it", () => {
    const jpeg = execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180', '-frames:v', '1', '-f', 'mjpeg', 'pipe:1']);
    expect(jpegSize(jpeg)).toEqual({ width: 320, height: 180 });
  });

  it('should give undefined for bytes that are not a JPEG', () => {
    expect(jpegSize(Buffer.from('not a jpeg at all, really'))).toBeUndefined();
    expect(jpegSize(Buffer.from([0xff, 0xd8, 0xff]))).toBeUndefined();
  });
});
