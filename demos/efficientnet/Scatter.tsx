'use client';
import type { SearchResults } from './model';
import { curves, kmacs, macsTick, METHODS, scatterAxes } from './display';
import { formatPercent } from '../ui/plots/scale';

const BOX = { W: 480, H: 270, pad: { l: 46, r: 12, t: 10, b: 38 } };

/** Accuracy against multiply-adds (log scale), one line per scaling method, the grid as open circles. */
export function Scatter({ results }: { results: SearchResults }) {
  const { W, H, pad } = BOX;
  const all = results.children;
  if (all.length === 0) return <p className="status-line">No child trained yet.</p>;
  const { X, Y, xTicks, yTicks } = scatterAxes(all, BOX);
  return (
    <figure style={{ margin: '0.4rem 0' }}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="Test accuracy against multiply-adds per digit, per scaling method" style={{ maxWidth: W + 80, display: 'block', fontSize: 13 }}>
        <g stroke="var(--line)" strokeWidth={1}>
          <rect x={pad.l} y={pad.t} width={W - pad.l - pad.r} height={H - pad.t - pad.b} fill="none" />
          {yTicks.map((v) => (
            <line key={`y${v}`} x1={pad.l} x2={W - pad.r} y1={Y(v)} y2={Y(v)} opacity={0.5} />
          ))}
        </g>
        <g fill="var(--muted)">
          {yTicks.map((v) => (
            <text key={`yl${v}`} x={pad.l - 4} y={Y(v) + 4} textAnchor="end">
              {(100 * v).toFixed(0)}
            </text>
          ))}
          {xTicks.map((v) => (
            <text key={`xl${v}`} x={X(v)} y={H - pad.b + 14} textAnchor="middle">
              {macsTick(v)}
            </text>
          ))}
          <text x={(pad.l + W - pad.r) / 2} y={H - 4} textAnchor="middle">
            multiply-adds per digit (log scale)
          </text>
          <text x={12} y={(pad.t + H - pad.b) / 2} textAnchor="middle" transform={`rotate(-90 12 ${(pad.t + H - pad.b) / 2})`}>
            test accuracy (%)
          </text>
        </g>
        {all
          .filter((c) => c.kind === 'grid')
          .map((c, i) => (
            <circle key={`g${i}`} cx={X(c.macs)} cy={Y(c.accuracy)} r={3.5} fill="none" stroke="var(--muted)" strokeWidth={1.2}>
              <title>{`grid α ${c.coeffs?.alpha}, β ${c.coeffs?.beta}, γ ${c.coeffs?.gamma}: ${formatPercent(c.accuracy)}, ${kmacs(c.macs)} MACs`}</title>
            </circle>
          ))}
        {curves(results).map(({ kind, pts }) => {
          const m = METHODS.find((q) => q.kind === kind)!;
          return (
            <g key={kind} data-method={kind}>
              <polyline points={pts.map((c) => `${X(c.macs)},${Y(c.accuracy)}`).join(' ')} fill="none" stroke={m.color} strokeWidth={2} strokeDasharray={m.dashed ? '5 3' : undefined} />
              {pts.map((c, i) => (
                <circle key={i} cx={X(c.macs)} cy={Y(c.accuracy)} r={4} fill={m.color}>
                  <title>{`${m.label}, φ = ${c.phi}: ${formatPercent(c.accuracy)}, ${kmacs(c.macs)} MACs`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption style={{ display: 'flex', flexWrap: 'wrap', gap: '0.3rem 1rem', fontSize: '0.85rem' }}>
        {METHODS.map((m) => (
          <span key={m.kind}>
            <span aria-hidden="true" style={{ display: 'inline-block', width: 18, borderTop: `2px ${m.dashed ? 'dashed' : 'solid'} ${m.color}`, verticalAlign: 'middle', marginRight: 4 }} />
            {m.label}
          </span>
        ))}
        <span>○ grid candidates at φ = 1</span>
      </figcaption>
    </figure>
  );
}
