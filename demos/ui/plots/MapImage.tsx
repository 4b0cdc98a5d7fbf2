'use client';
import { useLayoutEffect, useRef } from 'react';
import { SERIES } from './palette';
import { useThemeColors } from './useTheme';

/**
 * A feature map (or a digit) as a small image, one cell per value, scaled up without smoothing. Values are
 * divided by `scale` (default: the largest magnitude, so every map uses its full range): positive values
 * fade from the page's background to its text colour, negative ones to the first series colour, so a signed
 * map (a 1×1 filter before its ReLU) shows its sign. `channel`/`channels` pick one channel of an
 * interleaved [h, w, c] array without copying. `positive` replaces the text colour for positive values (a
 * perturbation whose two signs should read as two hues).
 */
export function MapImage({
  values,
  width,
  height,
  zoom,
  label,
  caption,
  scale,
  channel = 0,
  channels = 1,
  positive,
}: {
  values: ArrayLike<number>;
  width: number;
  height: number;
  zoom: number;
  /** What the image shows, for screen readers. */
  label: string;
  caption?: string;
  scale?: number;
  channel?: number;
  channels?: number;
  positive?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  useLayoutEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const n = width * height;
    let top = scale ?? 0;
    if (scale === undefined) for (let i = 0; i < n; i++) top = Math.max(top, Math.abs(values[i * channels + channel]));
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, width, height);
    for (let i = 0; i < n; i++) {
      const v = top > 0 ? values[i * channels + channel] / top : 0;
      if (!(Math.abs(v) > 0)) continue;
      ctx.globalAlpha = Math.min(1, Math.abs(v));
      ctx.fillStyle = v > 0 ? (positive ?? colors.fg) : SERIES[0];
      ctx.fillRect(i % width, Math.floor(i / width), 1, 1);
    }
    ctx.globalAlpha = 1;
  }, [values, width, height, colors, scale, channel, channels, positive]);
  return (
    <figure style={{ margin: 0 }}>
      <canvas
        ref={canvas}
        width={width}
        height={height}
        role="img"
        aria-label={label}
        style={{ display: 'block', width: width * zoom, maxWidth: '100%', imageRendering: 'pixelated', border: '1px solid var(--line)' }}
      />
      {caption && <figcaption className="plot-caption" style={{ margin: '0.1rem 0 0' }}>{caption}</figcaption>}
    </figure>
  );
}
