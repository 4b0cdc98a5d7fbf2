'use client';
import { MapImage } from '../plots/MapImage';
import { SERIES } from '../plots/palette';

const EMPTY = new Float32Array(784);

/**
 * An attack's perturbation beside the attacked digit (28×28 each, three times larger): the perturbation's
 * brightened pixels orange and darkened ones blue, on `scale` (default: its largest pixel), the digit on [0, 1].
 * Blank until there is one (null).
 */
export function PerturbedDigit({ delta, image, scale, labels, captions }: { delta: Float32Array | null; image: Float32Array | null; scale?: number; labels: [string, string]; captions: [string, string] }) {
  return (
    <div style={{ display: 'flex', gap: '0.6rem', flexWrap: 'wrap' }}>
      <MapImage values={delta ?? EMPTY} width={28} height={28} zoom={3} scale={scale} positive={SERIES[1]} label={labels[0]} caption={captions[0]} />
      <MapImage values={image ?? EMPTY} width={28} height={28} zoom={3} scale={1} label={labels[1]} caption={captions[1]} />
    </div>
  );
}
