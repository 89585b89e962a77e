const HINTS: Array<[RegExp, string]> = [
  [/401 Unauthorized|authorization failed/i, 'the camera refused the credentials (401); check the user and password in the camera URL'],
  [/403 Forbidden/i, 'the camera refused access (403); check the account rights on the camera'],
  [/404 Not Found|Server returned 404/i, 'no stream at this path (404); check the path part of the camera URL'],
  [/Connection refused/i, 'nothing accepts connections at this address; is the camera on and the port right?'],
  [/Connection timed out|timed out/i, 'the camera does not answer; check the network, firewall and the camera address'],
  [
    /Name or service not known|Temporary failure in name resolution|could not resolve|nodename nor servname/i,
    'the camera host name does not resolve; check the host part of the URL or DNS',
  ],
  [/No route to host|Network is unreachable/i, 'no network route to the camera; check the network configuration'],
  [
    /Invalid data found when processing input|could not find codec parameters|Unsupported codec|no video stream|Output file #0 does not contain any stream|matches no streams/i,
    'the stream is not video that ffmpeg can decode; check that the URL points to a video stream',
  ],
  [/No such file or directory/i, 'the file does not exist; check the path'],
  [
    /Unknown decoder|Decoder .* not found|Unrecognized hwaccel|hwaccel initialisation returned error|Failed setup for format cuda|No device available/i,
    'the configured hardware decoder is not available here; set hwaccel to auto or none',
  ],
];

/** A short, actionable reason for an ffmpeg failure, from its stderr; undefined when nothing known matches. */
export function explainFfmpegError(stderr: string): string | undefined {
  for (const [pattern, hint] of HINTS) if (pattern.test(stderr)) return hint;
  return undefined;
}
