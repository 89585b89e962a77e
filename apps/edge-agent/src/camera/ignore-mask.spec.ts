import { applyMask, MASK_FILL, rasteriseLetterboxMask, rasteriseMask } from './ignore-mask';

describe(rasteriseMask.name, () => {
  it('should cover the pixels inside the polygon and nothing else', () => {
    // the left half of a 4x2 picture
    const mask = rasteriseMask(
      [
        [
          [0, 0],
          [0.5, 0],
          [0.5, 1],
          [0, 1],
        ],
      ],
      4,
      2,
    );
    expect([...mask]).toEqual([1, 1, 0, 0, 1, 1, 0, 0]);
  });

  it('should handle a triangle and several polygons', () => {
    const mask = rasteriseMask(
      [
        [
          [0, 0],
          [1, 0],
          [0, 1],
        ],
        [
          [0.75, 0.75],
          [1, 0.75],
          [1, 1],
          [0.75, 1],
        ],
      ],
      4,
      4,
    );
    expect([...mask]).toEqual([1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe(applyMask.name, () => {
  it('should paint masked pixels with the fill colour and keep the others', () => {
    const rgb = new Uint8Array([1, 2, 3, 4, 5, 6]);
    applyMask(rgb, new Uint8Array([0, 1]));
    expect([...rgb]).toEqual([1, 2, 3, ...MASK_FILL]);
  });
});

describe(rasteriseLetterboxMask.name, () => {
  it('should move the polygons into the letterboxed picture of a wide camera', () => {
    // a 2:1 camera in a 4x4 square fills rows 1-2; masking its left half masks the left half of those rows only
    const mask = rasteriseLetterboxMask(
      [
        [
          [0, 0],
          [0.5, 0],
          [0.5, 1],
          [0, 1],
        ],
      ],
      2,
      4,
    );
    expect([...mask]).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('should do the same for a tall camera', () => {
    // a 1:2 camera fills columns 1-2; its top half is rows 0-1 of those columns
    const mask = rasteriseLetterboxMask(
      [
        [
          [0, 0],
          [1, 0],
          [1, 0.5],
          [0, 0.5],
        ],
      ],
      0.5,
      4,
    );
    expect([...mask]).toEqual([0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
