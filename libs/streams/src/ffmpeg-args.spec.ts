import { ffmpegArguments, frameOutputArguments, inputArguments } from './ffmpeg-args';

describe('ffmpeg arguments', () => {
  describe(inputArguments.name, () => {
    it('should use TCP and a socket timeout in microseconds for RTSP', () => {
      expect(inputArguments('rtsp://cam/1', { ioTimeoutMs: 3000 })).toEqual(['-rtsp_transport', 'tcp', '-timeout', '3000000', '-fflags', 'nobuffer', '-i', 'rtsp://cam/1']);
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

  it('should sample, scale and emit raw RGB on stdout', () => {
    expect(frameOutputArguments(4, { width: 96, height: 96 })).toEqual(['-an', '-sn', '-dn', '-vf', 'fps=4,scale=96:96', '-pix_fmt', 'rgb24', '-f', 'rawvideo', 'pipe:1']);
    const all = ffmpegArguments(['-i', 'x'], 2, { width: 8, height: 8 });
    expect(all.slice(0, 3)).toEqual(['-hide_banner', '-loglevel', 'error']);
    expect(all).not.toContain('-nostdin'); // stdin carries the `q` that stops ffmpeg cleanly
  });
});
