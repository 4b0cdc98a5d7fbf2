/**
 * Horizontal SVG bars of class probabilities, one labelled bar per class, the given top class in the
 * accent colour. Each bar is its own labelled image for screen readers; announcing the winner is the
 * caller's job (an aria-live line), so a reader is not read ten numbers on every change.
 */
export function ProbabilityBars({
  probs,
  classes,
  top,
  label,
  width = 320,
  rowHeight = 24,
}: {
  /** One probability per class, or null while there is nothing to show (drawn as empty bars). */
  probs: ArrayLike<number> | null;
  /** Class names, in output order. */
  classes: readonly string[];
  /** Index of the class to highlight (the most probable one), or -1. */
  top: number;
  label: string;
  width?: number;
  rowHeight?: number;
}) {
  const pad = { l: 22, r: 58 };
  const barW = width - pad.l - pad.r;
  const height = rowHeight * classes.length;
  return (
    <svg className="plot" viewBox={`0 0 ${width} ${height}`} role="group" aria-label={label} data-top={top >= 0 ? classes[top] : undefined}>
      {classes.map((c, i) => {
        const p = probs ? Math.min(1, Math.max(0, probs[i] || 0)) : 0;
        const y = i * rowHeight;
        const isTop = i === top;
        const text = probs ? `${(100 * p).toFixed(p >= 0.9995 || p < 0.0005 ? 0 : 1)} %` : '–';
        return (
          <g key={c} role="img" aria-label={`${c}: ${probs ? text : 'no prediction'}${isTop ? ' (most likely)' : ''}`} data-class={c} data-p={probs ? p : undefined}>
            <text x={pad.l - 8} y={y + rowHeight / 2 + 4} fontSize="13" textAnchor="end" fill="var(--fg)" fontWeight={isTop ? 700 : 400}>
              {c}
            </text>
            <rect x={pad.l} y={y + 3} width={barW} height={rowHeight - 6} fill="var(--panel)" stroke="var(--line)" rx={3} />
            {p > 0 && <rect x={pad.l} y={y + 3} width={Math.max(1.5, p * barW)} height={rowHeight - 6} fill={isTop ? 'var(--accent)' : 'var(--muted)'} opacity={isTop ? 1 : 0.55} rx={3} />}
            <text x={width - pad.r + 6} y={y + rowHeight / 2 + 4} fontSize="12" fill={isTop ? 'var(--accent)' : 'var(--muted)'} fontWeight={isTop ? 700 : 400} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
