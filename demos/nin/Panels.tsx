'use client';
import type { ModelManifest } from '../runtime/data/models';
import { MapImage } from '../ui/plots/MapImage';
import { StatsTable } from '../ui/plots/StatsTable';
import type { HeadSizes } from './model';
import { headSizeTable, int } from './display';
import { formatPercent } from '../ui/plots/scale';

/** The parameters of an FC head and of NiN's head for the reader's sizes, and their ratio. */
export function HeadSizeTable({ sizes }: { sizes: HeadSizes }) {
  const { caption, rows } = headSizeTable(sizes);
  return <StatsTable caption={caption} columns={['head', 'parameters']} rows={rows.map(([head, n]) => ({ key: head, head, cells: [n] }))} />;
}

/** cnn-gap's ten class maps for one digit on one scale, each with its softmax probability (the top one marked). */
export function ClassMaps({ out, gap, cnn }: { out: { maps: Float32Array; probs: Float32Array; shape: [number, number, number] }; gap: ModelManifest; cnn: ModelManifest }) {
  const top = out.probs.indexOf(Math.max(...out.probs));
  return (
    <>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(4.2rem, 1fr))', gap: '0.4rem' }}>
        {Array.from({ length: 10 }, (_, k) => (
          <MapImage
            key={k}
            values={out.maps}
            channel={k}
            channels={10}
            width={out.shape[1]}
            height={out.shape[0]}
            zoom={7}
            scale={Math.max(...out.maps) || 1}
            label={`class map for ${k}`}
            caption={`${k}: ${formatPercent(out.probs[k])}${k === top ? ' ◀' : ''}`}
          />
        ))}
      </div>
      <p className="plot-caption">
        cnn-gap ({int(gap.params)} parameters, {formatPercent(gap.test.accuracy)} on the 10,000 test digits) against the shipped cnn with dense layers ({int(cnn.params)} parameters,{' '}
        {formatPercent(cnn.test.accuracy)}). One scale for all ten maps; the probabilities are the softmax of their means.
      </p>
    </>
  );
}
