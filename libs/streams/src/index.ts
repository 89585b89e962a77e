export { backoffDelay, sleep, type BackoffOptions } from './backoff';
export { ffmpegArguments, frameOutputArguments, inputArguments, type InputOptions } from './ffmpeg-args';
export { FfmpegFrameSource, StreamEndedError, StreamStalledError, type FfmpegFrameSourceOptions } from './ffmpeg-frame-source';
export { frameBytes, type Frame, type FrameSize } from './frame';
export { redactUrl } from './redact';
export { ResilientFrameSource, type FrameSession, type ResilientOptions, type StreamState, type StreamStatus } from './resilient-frame-source';
export { stopProcess } from './stop-process';
