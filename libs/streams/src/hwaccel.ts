/**
 * Hardware video decode.
 * - `none`: software decode.
 * - `auto`: let ffmpeg pick any available hardware decoder and fall back to software (safe default on mixed fleets).
 * - `cuda`: NVDEC on NVIDIA GPUs (needs an ffmpeg built with --enable-cuda/nvdec, e.g. the NVIDIA image).
 * - `jetson`: the NVMPI decoders of Jetson ffmpeg builds (jetson-ffmpeg), chosen by codec.
 * - `vaapi`: Intel/AMD iGPUs through /dev/dri.
 * Decoded frames return to system memory, because the model input is prepared on the CPU.
 */
export type HwAccel = 'none' | 'auto' | 'cuda' | 'jetson' | 'vaapi';
export type VideoCodec = 'h264' | 'hevc';

export const HWACCEL_MODES: readonly HwAccel[] = ['none', 'auto', 'cuda', 'jetson', 'vaapi'];

/** ffmpeg arguments that go before `-i` to select the decoder. */
export function hwaccelArguments(mode: HwAccel, codec: VideoCodec = 'h264'): string[] {
  switch (mode) {
    case 'none':
      return [];
    case 'auto':
      return ['-hwaccel', 'auto'];
    case 'cuda':
      return ['-hwaccel', 'cuda'];
    case 'jetson':
      return ['-c:v', codec === 'hevc' ? 'hevc_nvmpi' : 'h264_nvmpi'];
    case 'vaapi':
      return ['-hwaccel', 'vaapi', '-hwaccel_device', '/dev/dri/renderD128'];
  }
}
