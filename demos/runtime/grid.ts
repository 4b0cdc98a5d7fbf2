/**
 * Regular 2-D grids for contour plots and decision regions. Pure: no tfjs, no DOM.
 */

/** An axis-aligned rectangle in data coordinates. */
export interface Box {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/**
 * The `resolution × resolution` points of a grid spanning `box` (corners included), as interleaved
 * (x, y) pairs. Row-major with x fastest: point k = j·resolution + i sits at column i, row j, and row
 * 0 is `yMin` (a view drawing with y pointing down flips rows). This is the layout contour
 * tracers (d3-contour, marching squares) expect for the values computed at these points.
 */
export function gridPoints(box: Box, resolution: number): Float32Array {
  if (!Number.isInteger(resolution) || resolution < 2) {
    throw new Error(`grid resolution must be an integer ≥ 2, got ${resolution}`);
  }
  const out = new Float32Array(2 * resolution * resolution);
  const dx = (box.xMax - box.xMin) / (resolution - 1);
  const dy = (box.yMax - box.yMin) / (resolution - 1);
  for (let j = 0; j < resolution; j++) {
    for (let i = 0; i < resolution; i++) {
      const k = 2 * (j * resolution + i);
      out[k] = box.xMin + i * dx;
      out[k + 1] = box.yMin + j * dy;
    }
  }
  return out;
}
