'use client';
import type { ParamValues } from '../runtime/params';
import { ParamControls } from '../ui/controls/ParamControls';
import { MapImage } from '../ui/plots/MapImage';
import { MIX_CHANNELS, mixParams } from './params';

type Mix = ParamValues<typeof mixParams>;
const keys = Array.from({ length: MIX_CHANNELS }, (_, i) => `w${i}` as keyof Mix & `w${number}`);

/** The weights of the 1×1 filter, in channel order. */
export const mixWeights = (m: Mix): number[] => keys.map((k) => m[k]);

/** Presets: one channel, a difference of two, the mean of all. */
const PRESETS: { label: string; weights: (i: number) => number }[] = [
  { label: 'Channel 1 alone', weights: (i) => (i === 0 ? 1 : 0) },
  { label: 'Channel 1 − channel 2', weights: (i) => (i === 0 ? 1 : i === 1 ? -1 : 0) },
  { label: 'Mean of all 16', weights: () => 1 / 16 },
];

/**
 * One 1×1 filter over the shipped CNN's 16 conv1 maps of the chosen digit: a weight slider under each channel,
 * the bias and the ReLU beside the result. `maps` is [24, 24, 16] interleaved; `out` the filter's 24×24 map.
 */
export function MixPanel({ m, set, maps, out }: { m: Mix; set: <K extends keyof Mix>(k: K, v: Mix[K]) => void; maps: Float32Array | null; out: Float32Array | null }) {
  const apply = (w: (i: number) => number) => keys.forEach((k, i) => set(k, Math.round(w(i) / mixParams[k].step) * mixParams[k].step));
  return (
    <section aria-label="A 1×1 convolution on real feature maps">
      <p className="demo-sub">1 · One 1×1 filter across the 16 conv1 maps</p>
      <div className="toolbar">
        {PRESETS.map((p) => (
          <button key={p.label} type="button" onClick={() => apply(p.weights)}>
            {p.label}
          </button>
        ))}
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 13rem), 1fr))', gap: '0.8rem', alignItems: 'start' }}>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(5.2rem, 1fr))', gap: '0.4rem' }}>
          {keys.map((k, i) => (
            <div key={k} className="compact-controls">
              {maps ? (
                <MapImage values={maps} channel={i} channels={MIX_CHANNELS} width={24} height={24} zoom={3} label={`conv1 channel ${i + 1} of the digit`} />
              ) : (
                <div style={{ width: 72, height: 72, border: '1px solid var(--line)' }} />
              )}
              <ParamControls table={mixParams} values={m} onChange={set} only={[k]} />
            </div>
          ))}
        </div>
        <div>
          {out ? (
            <MapImage values={out} width={24} height={24} zoom={6} label="the 1×1 filter's output map" caption={`Σ w·channel + b${m.relu ? ', then ReLU' : ''}: ink = positive, blue = negative`} />
          ) : (
            <p className="status-line">computing…</p>
          )}
          <ParamControls table={mixParams} values={m} onChange={set} only={['bias', 'relu']} />
        </div>
      </div>
    </section>
  );
}
