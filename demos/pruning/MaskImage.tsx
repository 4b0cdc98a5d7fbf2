'use client';
import { useLayoutEffect, useRef } from 'react';
import { useThemeColors } from '../ui/plots/useTheme';

/**
 * A grid of values in [0, 1] as an image, one cell per pixel scaled up without smoothing: 0 is the page's
 * background, 1 its text colour. For a weight matrix's mask (kept = 1) or a per-pixel share kept.
 */
export function MaskImage({ values, width, height, scale, label }: { values: ArrayLike<number>; width: number; height: number; scale: number; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  useLayoutEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = colors.fg;
    for (let i = 0; i < width * height; i++) {
      const t = Math.min(1, Math.max(0, values[i]));
      if (t <= 0) continue;
      ctx.globalAlpha = t;
      ctx.fillRect(i % width, Math.floor(i / width), 1, 1);
    }
    ctx.globalAlpha = 1;
  }, [values, width, height, colors]);
  return (
    <figure style={{ margin: 0 }}>
      <canvas ref={canvas} width={width} height={height} role="img" aria-label={label} style={{ width: width * scale, maxWidth: '100%', imageRendering: 'pixelated', border: '1px solid var(--line)' }} />
      <figcaption className="plot-caption">{label}</figcaption>
    </figure>
  );
}
