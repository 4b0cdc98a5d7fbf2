'use client';
import { useLayoutEffect, useRef } from 'react';

/**
 * An RGB image (width·height·3 floats in [0, 1], row-major, channels interleaved; `offset` floats into
 * `values`, so one sample of a batch is drawn without copying), shown at `size` CSS pixels wide.
 */
export function RgbImage({
  values,
  width,
  height,
  offset = 0,
  size,
  label,
  caption,
}: {
  values: ArrayLike<number>;
  width: number;
  height: number;
  offset?: number;
  size: number;
  label: string;
  caption?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      for (let c = 0; c < 3; c++) img.data[4 * i + c] = Math.round(255 * Math.min(1, Math.max(0, values[offset + 3 * i + c] ?? 0)));
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [values, width, height, offset]);
  return (
    <figure style={{ margin: 0, minWidth: 0 }}>
      <canvas ref={canvas} width={width} height={height} role="img" aria-label={label} style={{ display: 'block', width: size, maxWidth: '100%', border: '1px solid var(--line)' }} />
      {caption && <figcaption className="plot-caption" style={{ margin: '0.1rem 0 0' }}>{caption}</figcaption>}
    </figure>
  );
}
