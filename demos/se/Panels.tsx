'use client';
import { MapImage } from '../ui/plots/MapImage';
import { SERIES } from '../ui/plots/palette';
import { CNN_SE_STAGES, RESNET50, RESNET50_STAGES, rescaledMap, seCost, type BlockResult } from './model';
import { formatInt } from '../ui/plots/scale';

const int = formatInt;

/** Bars of one digit's excitations, channels sorted by s_c, with the mean over all test digits as ticks. */
export function ExcitationBars({ s, overall, order }: { s: Float32Array; overall: Float32Array | null; order: number[] }) {
  const w = 640;
  const h = 150;
  const pad = { l: 30, b: 18, t: 6 };
  const bw = (w - pad.l) / order.length;
  const y = (v: number) => pad.t + (1 - v) * (h - pad.t - pad.b);
  return (
    <svg className="plot" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`Excitations s_c of the ${order.length} channels, largest first`} data-channels={order.length}>
      {[0, 0.5, 1].map((v) => (
        <g key={v}>
          <line x1={pad.l} x2={w} y1={y(v)} y2={y(v)} stroke="var(--line)" />
          <text x={pad.l - 4} y={y(v) + 4} fontSize="11" textAnchor="end" fill="var(--muted)">
            {v}
          </text>
        </g>
      ))}
      {order.map((c, i) => {
        const x = pad.l + i * bw;
        return (
          <g key={c} data-channel={c} data-s={s[c].toFixed(4)}>
            <rect x={x + 1} y={y(s[c])} width={Math.max(1, bw - 2)} height={y(0) - y(s[c])} fill={SERIES[0]} opacity={0.85} />
            {overall && <line x1={x} x2={x + bw} y1={y(overall[c])} y2={y(overall[c])} stroke="var(--fg)" strokeWidth={2} />}
            <text x={x + bw / 2} y={h - 5} fontSize="9" textAnchor="middle" fill="var(--muted)">
              {c}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/**
 * Each channel's map u_c before (top) and s_c·u_c after the rescaling (bottom), in the order given, all on the scale
 * of the largest u so that the rescaling shows; nothing until the block's maps are in.
 */
export function MapPairs({ block, order }: { block: BlockResult | null; order: number[] }) {
  const u = block?.u ?? null;
  const { side, channels } = block?.info ?? { side: 0, channels: 1 };
  const zoom = side > 20 ? 2 : 4;
  const top = u ? u.reduce((a, v) => Math.max(a, v), 0) : 1;
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.5rem' }} data-maps={u ? order.length : 0}>
      {u &&
        block &&
        order.map((c) => (
          <div key={c} style={{ display: 'grid', gap: 2, justifyItems: 'center', fontSize: '0.75rem' }}>
            <MapImage values={u} width={side} height={side} zoom={zoom} channel={c} channels={channels} scale={top} label={`Map ${c} before rescaling`} />
            <MapImage values={rescaledMap(u, block.s[c], c, channels)} width={side} height={side} zoom={zoom} scale={top} label={`Map ${c} times ${block.s[c].toFixed(2)}`} />
            <span>
              #{c}: {block.s[c].toFixed(2)}
            </span>
          </div>
        ))}
    </div>
  );
}

/** What SE blocks with reduction r add, by the paper's formula and exactly: for this demo's network and SE-ResNet-50. */
export function CostTable({ rr, plainParams }: { rr: number; plainParams: number | null }) {
  const ours = seCost(CNN_SE_STAGES, rr);
  const res50 = seCost(RESNET50_STAGES, rr);
  return (
    <table className="stats" data-r={rr}>
      <thead>
        <tr>
          <th scope="col">SE blocks with r = {rr}</th>
          <th scope="col">(2/r) Σ N C²</th>
          <th scope="col">exact, with biases</th>
          <th scope="col">share of the network</th>
          <th scope="col">extra multiply-adds</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">cnn-se (this demo, C = 16, 32)</th>
          <td>{int(ours.formula)}</td>
          <td>{int(ours.params)}</td>
          <td>{plainParams !== null ? `+${((100 * ours.params) / plainParams).toFixed(1)} % of ${int(plainParams)}` : '…'}</td>
          <td>{int(ours.macs)}</td>
        </tr>
        <tr>
          <th scope="row">SE-ResNet-50 (N = 3, 4, 6, 3)</th>
          <td>{int(res50.formula)}</td>
          <td>{int(res50.params)}</td>
          <td>+{((100 * res50.params) / RESNET50.params).toFixed(1)} % of {int(RESNET50.params)}</td>
          <td>{`${(res50.macs / 1e9).toFixed(4)} G (+${((100 * res50.macs) / RESNET50.macs).toFixed(2)} %)`}</td>
        </tr>
      </tbody>
    </table>
  );
}
