'use client';
import { useLayoutEffect, useRef } from 'react';
import type { Scene } from '../runtime/data/scenes';
import { useThemeColors } from '../ui/plots/useTheme';
import { drawScaled } from '../ui/plots/boxes';
import { SCENE } from './model';
import { fmt, IOU_COLUMNS, maskColor } from './display';

/** A scene drawn with a mask over it: each digit class in its own colour, background left bare. */
export function MaskView({ scene, mask, title }: { scene: Scene; mask: Uint8Array | null; title: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  const Z = 3;
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    drawScaled(ctx, SCENE, Z, colors, (ictx) => {
      for (let i = 0; i < SCENE * SCENE; i++) {
        const m = mask ? mask[i] : 0;
        const v = scene.image[i];
        if (m > 0) {
          ictx.globalAlpha = 1;
          ictx.fillStyle = maskColor(m);
          ictx.fillRect(i % SCENE, Math.floor(i / SCENE), 1, 1);
        } else if (v > 0 && !mask) {
          ictx.globalAlpha = Math.min(1, v);
          ictx.fillStyle = colors.fg;
          ictx.fillRect(i % SCENE, Math.floor(i / SCENE), 1, 1);
        }
      }
    });
  }, [scene, mask, colors]);
  return (
    <figure style={{ margin: 0 }}>
      <canvas ref={ref} width={SCENE * Z} height={SCENE * Z} role="img" aria-label={title} style={{ display: 'block', width: '100%', maxWidth: SCENE * Z, border: '1px solid var(--line)' }} />
    </figure>
  );
}

export function Legend() {
  return (
    <p className="plot-caption" style={{ display: 'flex', flexWrap: 'wrap', gap: '0.2rem 0.7rem' }}>
      {Array.from({ length: 10 }, (_, d) => (
        <span key={d}>
          <span aria-hidden style={{ display: 'inline-block', width: '0.8em', height: '0.8em', background: maskColor(d + 1), marginRight: '0.25em', verticalAlign: '-0.05em' }} />
          {d}
        </span>
      ))}
    </p>
  );
}

/** The IoU of every class and their mean, one row. */
export function IouTable({ perClass, mean, caption }: { perClass: readonly number[]; mean: number; caption: string }) {
  return (
    <>
      <p className="plot-caption" style={{ margin: '0.3rem 0' }}>{caption}</p>
      {/* Scrolls sideways on a narrow screen instead of overflowing the frame (12 columns). */}
      <div style={{ overflowX: 'auto', maxWidth: '100%' }}>
        <table className="stats" aria-label={caption} style={{ fontVariantNumeric: 'tabular-nums', fontSize: '0.85rem' }}>
          <tbody>
            <tr>
              {IOU_COLUMNS.map((n) => (
                <th key={n} scope="col">{n}</th>
              ))}
            </tr>
            <tr>
              {perClass.map((v, i) => (
                <td key={i} style={{ textAlign: 'right' }}>{fmt(v)}</td>
              ))}
              <td style={{ textAlign: 'right' }}>{fmt(mean)}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </>
  );
}
