import { hwaccelArguments, HWACCEL_MODES } from './hwaccel';

describe(hwaccelArguments.name, () => {
  it.each([
    ['none', 'h264', []],
    ['auto', 'h264', ['-hwaccel', 'auto']],
    ['cuda', 'h264', ['-hwaccel', 'cuda']],
    ['jetson', 'h264', ['-c:v', 'h264_nvmpi']],
    ['jetson', 'hevc', ['-c:v', 'hevc_nvmpi']],
    ['vaapi', 'hevc', ['-hwaccel', 'vaapi', '-hwaccel_device', '/dev/dri/renderD128']],
  ] as const)('should map %s (%s) to its ffmpeg decoder arguments', (mode, codec, args) => {
    expect(hwaccelArguments(mode, codec)).toEqual(args);
  });

  it('should cover every mode the config accepts', () => {
    for (const mode of HWACCEL_MODES) expect(Array.isArray(hwaccelArguments(mode))).toBe(true);
  });
});
