import { redactUrl } from './redact';

describe(redactUrl.name, () => {
  it('should hide user and password in every URL of a message', () => {
    expect(redactUrl('rtsp://admin:s3cr3t@10.0.0.5:554/Streaming/101 failed; retry rtsp://op@cam2/x')).toBe(
      'rtsp://***@10.0.0.5:554/Streaming/101 failed; retry rtsp://***@cam2/x',
    );
  });

  it('should leave URLs without credentials alone', () => {
    expect(redactUrl('rtsp://10.0.0.5/stream and mqtt://broker:1883')).toBe('rtsp://10.0.0.5/stream and mqtt://broker:1883');
  });

  it('should hide a password that contains "@" whole, up to the host', () => {
    expect(redactUrl('rtsp://admin:p@ss@w0rd@10.0.0.5:554/s?x=a@b timed out')).toBe('rtsp://***@10.0.0.5:554/s?x=a@b timed out');
    expect(redactUrl('connecting to "rtsp://op:%2Fsecret%40@cam/live"')).toBe('connecting to "rtsp://***@cam/live"');
  });
});
