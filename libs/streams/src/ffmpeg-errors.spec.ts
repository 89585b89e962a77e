import { explainFfmpegError } from './ffmpeg-errors';

describe(explainFfmpegError.name, () => {
  it.each([
    ['[rtsp @ 0x5616a17abbc0] method DESCRIBE failed: 401 Unauthorized', /credentials \(401\)/],
    ['method DESCRIBE failed: 404 Not Found', /no stream at this path/],
    ['[tcp @ 0x55] Connection to tcp://127.0.0.1:1?timeout=1000000 failed: Connection refused', /nothing accepts connections/],
    ['[tcp @ 0x55] Connection to tcp://10.9.9.9:554 failed: Connection timed out', /does not answer/],
    ['[tcp @ 0x55] Failed to resolve hostname nocam.invalid: Name or service not known', /does not resolve/],
    ['/tmp/garbage.mp4: Invalid data found when processing input', /not video that ffmpeg can decode/],
    ['Device creation failed: -22. Failed to set value cuda for option hwaccel: Unrecognized hwaccel', /hardware decoder is not available/],
  ])('should explain %s', (stderr, hint) => {
    expect(explainFfmpegError(stderr)).toMatch(hint);
  });

  it('should stay silent on errors it does not know', () => {
    expect(explainFfmpegError('something new went wrong')).toBeUndefined();
  });
});
