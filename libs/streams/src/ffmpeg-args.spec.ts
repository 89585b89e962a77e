import { dualOutputArguments, ffmpegArguments, frameOutputArguments, inputArguments } from './ffmpeg-args';
import { hwaccelArguments } from './hwaccel';

describe('ffmpeg arguments', () => {
  describe(inputArguments.name, () => {
    it('should use TCP and a socket timeout in microseconds for RTSP', () => {
      expect(inputArguments('rtsp://cam/1', { ioTimeoutMs: 3000 })).toEqual([
        '-rtsp_transport',
        'tcp',
        '-timeout',
        '3000000',
        '-analyzeduration',
        '0',
        '-probesize',
        '32',
        '-thread_type',
        'slice',
        '-i',
        'rtsp://cam/1',
      ]);
      expect(inputArguments('rtsp://cam/1', { rtspTransport: 'udp' })).toContain('udp');
    });

    it('should read files at native rate unless told otherwise', () => {
      expect(inputArguments('/clips/a.mp4')).toEqual(['-re', '-i', '/clips/a.mp4']);
      expect(inputArguments('file:///clips/my%20clip.mp4', { realtime: false })).toEqual(['-i', '/clips/my clip.mp4']);
    });

    it('should pass lavfi graphs to the lavfi demuxer', () => {
      expect(inputArguments('lavfi:testsrc2=size=320x240:rate=10')).toEqual(['-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10']);
    });
  });

  it('should put decoder arguments before -i', () => {
    expect(inputArguments('rtsp://cam/1', { decoder: hwaccelArguments('cuda') })).toEqual([
      '-rtsp_transport',
      'tcp',
      '-timeout',
      '5000000',
      '-analyzeduration',
      '0',
      '-probesize',
      '32',
      '-thread_type',
      'slice',
      '-hwaccel',
      'cuda',
      '-i',
      'rtsp://cam/1',
    ]);
    expect(inputArguments('/a.mp4', { decoder: hwaccelArguments('jetson'), realtime: false })).toEqual(['-c:v', 'h264_nvmpi', '-i', '/a.mp4']);
  });

  it('should split one decode into model frames on stdout and preview JPEGs on fd 3', () => {
    const args = dualOutputArguments(4, { width: 96, height: 96 }, { fps: 2, width: 640, quality: 4 });
    expect(args[1]).toBe('[0:v]split=2[m][p];[m]fps=4,scale=96:96,format=rgb24[model];[p]fps=2,scale=640:-2,format=yuvj420p[preview]');
    expect(args.slice(2)).toEqual(['-map', '[model]', '-f', 'rawvideo', 'pipe:1', '-map', '[preview]', '-c:v', 'mjpeg', '-q:v', '4', '-f', 'mpjpeg', 'pipe:3']);
  });

  it('should add the same sampled frames letterboxed on fd 4 for the pose model', () => {
    const args = dualOutputArguments(4, { width: 96, height: 96 }, { fps: 2, width: 640 }, { width: 192, height: 192, fit: 'letterbox' });
    expect(args[1]).toBe(
      '[0:v]split=2[m][p];[m]fps=4,split=2[ms][ss];[ms]scale=96:96,format=rgb24[model];[ss]scale=192:192:force_original_aspect_ratio=decrease,pad=192:192:(ow-iw)/2:(oh-ih)/2,format=rgb24[side];[p]fps=2,scale=640:-2,format=yuvj420p[preview]',
    );
    expect(args.slice(-5)).toEqual(['-map', '[side]', '-f', 'rawvideo', 'pipe:4']);
    expect(dualOutputArguments(4, { width: 96, height: 96 }, undefined, { width: 192, height: 192 })[1]).toBe(
      '[0:v]fps=4,split=2[ms][ss];[ms]scale=96:96,format=rgb24[model];[ss]scale=192:192,format=rgb24[side]',
    );
  });

  it('should sample, scale and emit raw RGB on stdout', () => {
    expect(frameOutputArguments(4, { width: 96, height: 96 })).toEqual([
      '-an',
      '-sn',
      '-dn',
      '-vf',
      'fps=4,scale=96:96',
      '-pix_fmt',
      'rgb24',
      '-f',
      'rawvideo',
      'pipe:1',
    ]);
    const all = ffmpegArguments(['-i', 'x'], 2, { width: 8, height: 8 });
    expect(all.slice(0, 3)).toEqual(['-hide_banner', '-loglevel', 'error']);
    expect(all).not.toContain('-nostdin'); // stdin carries the `q` that stops ffmpeg cleanly
  });
});
