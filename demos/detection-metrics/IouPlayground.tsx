'use client';
/** Part 1: the IoU of two boxes, dragged with the pointer or moved with the keyboard. */
import { useCallback, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { SERIES } from '../ui/plots/palette';
import { BoxCanvas, boxLabel, strokeBox } from '../ui/plots/boxes';
import type { ThemeColors } from '../ui/plots/useTheme';
import { intersection, iou, type Box } from './model';
import { FIELD } from './params';
import type { Values, SetParam } from './display';

const boxOf = (corner: readonly number[], size: readonly number[]): Box => [corner[0], corner[1], corner[0] + size[0], corner[1] + size[1]];
const clampInt = (v: number, lo: number, hi: number) => Math.round(Math.min(hi, Math.max(lo, v)));

export function IouPlayground({ p, set }: { p: Values; set: SetParam }) {
  const A = boxOf(p.a, p.aSize);
  const B = boxOf(p.b, p.bSize);
  const [selected, setSelected] = useState<'a' | 'b'>('b');
  const drag = useRef<{ which: 'a' | 'b'; mode: 'move' | 'resize'; dx: number; dy: number } | null>(null);
  const inter = intersection(A, B);
  const interArea = inter ? (inter[2] - inter[0]) * (inter[3] - inter[1]) : 0;
  const areaA = p.aSize[0] * p.aSize[1];
  const areaB = p.bSize[0] * p.bSize[1];
  const value = iou(A, B);

  const move = (which: 'a' | 'b', x: number, y: number) => {
    const size = which === 'a' ? p.aSize : p.bSize;
    set(which, [clampInt(x, 0, FIELD - size[0]), clampInt(y, 0, FIELD - size[1])]);
  };
  const resize = (which: 'a' | 'b', w: number, h: number) => {
    const c = which === 'a' ? p.a : p.b;
    set(which === 'a' ? 'aSize' : 'bSize', [clampInt(w, 4, FIELD - c[0]), clampInt(h, 4, FIELD - c[1])]);
  };
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, colors: ThemeColors, unit: number) => {
      if (inter) strokeBox(ctx, inter, SERIES[2], unit, { fill: 0.35, width: 0 });
      for (const [which, b, color] of [['a', A, SERIES[0]], ['b', B, SERIES[1]]] as const) {
        strokeBox(ctx, b, color, unit, { width: which === selected ? 3 : 2, fill: 0.08 });
        ctx.fillStyle = color;
        ctx.fillRect(b[2] - 5 * unit * 2, b[3] - 5 * unit * 2, 10 * unit, 10 * unit);
        boxLabel(ctx, which.toUpperCase(), b[0] + 2 * unit, b[1] + 14 * unit, color, colors, unit);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [A.join(), B.join(), selected],
  );
  const down = (e: PointerEvent<HTMLCanvasElement>, [x, y]: [number, number]) => {
    for (const [which, b] of [['b', B], ['a', A]] as const) {
      const corner = Math.abs(x - b[2]) < 7 && Math.abs(y - b[3]) < 7;
      if (corner || (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3])) {
        drag.current = corner ? { which, mode: 'resize', dx: b[2] - x, dy: b[3] - y } : { which, mode: 'move', dx: b[0] - x, dy: b[1] - y };
        setSelected(which);
        e.currentTarget.setPointerCapture(e.pointerId);
        return;
      }
    }
  };
  const moveTo = (_: PointerEvent<HTMLCanvasElement>, [x, y]: [number, number]) => {
    const d = drag.current;
    if (!d) return;
    const c = d.which === 'a' ? p.a : p.b;
    if (d.mode === 'move') move(d.which, x + d.dx, y + d.dy);
    else resize(d.which, x + d.dx - c[0], y + d.dy - c[1]);
  };
  const key = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const steps: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (e.key === ' ' || e.key === 'Enter') {
      setSelected((s) => (s === 'a' ? 'b' : 'a'));
      e.preventDefault();
      return;
    }
    const st = steps[e.key];
    if (!st) return;
    e.preventDefault();
    const k = e.altKey ? 5 : 1;
    const c = selected === 'a' ? p.a : p.b;
    const s = selected === 'a' ? p.aSize : p.bSize;
    if (e.shiftKey) resize(selected, s[0] + st[0] * k, s[1] + st[1] * k);
    else move(selected, c[0] + st[0] * k, c[1] + st[1] * k);
  };
  return (
    <section aria-label="Intersection over union">
      <p className="demo-subtitle" style={{ margin: '0.2rem 0' }}>1. Intersection over union</p>
      <div className="plots" style={{ alignItems: 'center' }}>
        <BoxCanvas
          units={[FIELD, FIELD]}
          px={260}
          draw={draw}
          label={`Two boxes, A and B, overlapping with IoU ${value.toFixed(3)}. Focus and use the arrow keys to move box ${selected.toUpperCase()}, Shift + arrows to resize it, Space to switch box.`}
          focusable
          onPointerDown={down}
          onPointerMove={moveTo}
          onPointerUp={() => (drag.current = null)}
          onKeyDown={key}
        />
        <div>
          <p style={{ fontSize: '1.4rem', margin: '0 0 0.3rem' }} data-iou={value.toFixed(4)}>
            IoU = <strong>{value.toFixed(3)}</strong>
          </p>
          <p className="plot-caption" style={{ fontSize: '0.9rem' }}>
            |A ∩ B| = {interArea}, |A| = {areaA}, |B| = {areaB}: IoU = {interArea} / ({areaA} + {areaB} − {interArea}).{' '}
            {value >= 0.5 ? 'At the usual threshold 0.5 these two would match.' : 'Below 0.5: at the usual threshold these two would not match.'}
          </p>
          <p className="plot-caption">Drag a box, or its corner square to resize it. Keyboard: focus the picture, arrows move box {selected.toUpperCase()} (Alt: by 5), Shift + arrows resize it, Space switches box.</p>
        </div>
      </div>
    </section>
  );
}
