'use client';
import { MapImage } from '../ui/plots/MapImage';
import { MAPS, METHODS, type Checked, type Explanation } from './model';
import { describe, NAMES } from './display';

const MAP_PX = 140; // two maps side by side on a 360-px phone, five in a row on a laptop
const TILE_PX = 40; // conv1's 16 maps in one row

/** A row of the five methods' maps for one network (row 0 the trained one, row 1 the re-drawn one with each map's r). */
export function MapRow({ title, e, row, r }: { title: string; e: Explanation; row: number; r: Checked }) {
  return (
    <section aria-label={title}>
      {r.randomized && <p className="demo-subtitle" style={{ margin: '0.6rem 0 0.2rem', fontSize: '0.9rem' }}>{title}</p>}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.8rem 1rem' }} data-row={row === 0 ? 'trained' : 'randomized'}>
        {METHODS.map((m) => {
          const map = e.maps[m];
          const sim = row === 1 ? r.similarity[m] : null;
          return (
            <div key={m} data-method={m} style={{ width: MAP_PX }}>
              {map ? (
                <MapImage values={map} width={28} height={28} zoom={MAP_PX / 28} label={`${NAMES[m]} for ${describe(e.target)}`} />
              ) : (
                <div style={{ width: MAP_PX, height: MAP_PX, border: '1px dashed var(--line)', display: 'grid', placeItems: 'center', fontSize: '0.75rem', color: 'var(--muted)', textAlign: 'center' }}>
                  needs a class target
                </div>
              )}
              <div className="plot-caption" style={{ margin: '0.1rem 0 0' }}>
                {NAMES[m]}
                {sim !== null && <> · r&nbsp;=&nbsp;{sim.toFixed(2)}</>}
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}

/** Integrated gradients' completeness check (attributions against the score's rise), and what r means with a sanity check. */
export function IgCaption({ t, steps, checked }: { t: Explanation; steps: number; checked: boolean }) {
  return (
    <p className="plot-caption" data-ig-sum={t.igSum} data-ig-delta={t.igDelta}>
      Integrated gradients with {steps} step{steps === 1 ? '' : 's'}: the attributions add up to {t.igSum.toFixed(3)}, and the score rises by {t.igDelta.toFixed(3)} from a black
      image to this digit (completeness asks them to be equal). Blue marks negative values; every map is scaled to its own largest magnitude.
      {checked && ' r is the rank correlation of a method’s map before and after re-drawing the weights: near 1, the map ignores what those layers learned.'}
    </p>
  );
}

/** The digit's conv1 and conv2 maps as buttons: picking one explains its strongest unit. */
export function FeatureMaps({ t, pick }: { t: Explanation; pick: (layer: 'conv1' | 'conv2', channel: number) => void }) {
  return (
    <details open>
      <summary style={{ cursor: 'pointer', fontSize: '0.9rem' }}>The digit’s feature maps (pick one to explain its strongest unit)</summary>
      {(['conv1', 'conv2'] as const).map((layer) => {
        const { side, channels } = MAPS[layer];
        return (
          <div key={layer} role="group" aria-label={`${layer} feature maps`} style={{ display: 'flex', flexWrap: 'wrap', gap: 2, margin: '0.4rem 0', alignItems: 'center' }}>
            <span className="status-line" style={{ width: '100%' }}>
              {layer}: {channels} maps of {side}×{side}
            </span>
            {Array.from({ length: channels }, (_, c) => {
              const chosen = t.target.kind === 'unit' && t.target.layer === layer && t.target.channel === c;
              return (
                <button
                  key={c}
                  type="button"
                  aria-pressed={chosen}
                  aria-label={`Explain ${layer} channel ${c}`}
                  onClick={() => pick(layer, c)}
                  style={{ padding: 1, border: chosen ? '2px solid var(--accent)' : '2px solid transparent', background: 'none', cursor: 'pointer' }}
                >
                  <MapImage values={t[layer]} width={side} height={side} zoom={TILE_PX / side} channel={c} channels={channels} label={`${layer} channel ${c}`} />
                </button>
              );
            })}
          </div>
        );
      })}
    </details>
  );
}
