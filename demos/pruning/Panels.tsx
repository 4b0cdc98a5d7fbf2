'use client';
import type { EncodingBytes } from '../runtime/compress/csr';
import { MapImage } from '../ui/plots/MapImage';
import type { EncodingRow } from './model';
import { formatNumber, formatPercent } from '../ui/plots/scale';

const kb = (b: number) => `${(b / 1024).toFixed(1)}\u00a0KB`;

/** The three layers' masks: fc1 as the share kept per input pixel, fc2 and the output layer as they are. */
export function MaskImages({ images, keep: [k1, k2, k3] }: { images: { values: Float32Array; width: number; height: number }[]; keep: number[] }) {
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: '1rem', alignItems: 'flex-start', margin: '0.6rem 0' }}>
      <MapImage values={images[0].values} width={28} height={28} zoom={4} scale={1} label={`fc1: share kept per input pixel (${formatPercent(k1, 0)} kept)`} caption={`fc1: share kept per input pixel (${formatPercent(k1, 0)} kept)`} />
      <MapImage values={images[1].values} width={images[1].width} height={images[1].height} zoom={1} scale={1} label={`fc2 mask, 100 units × 300 inputs (${formatPercent(k2, 0)})`} caption={`fc2 mask, 100 units × 300 inputs (${formatPercent(k2, 0)})`} />
      <MapImage values={images[2].values} width={images[2].width} height={images[2].height} zoom={3} scale={1} label={`output mask, 10 × 100 (${formatPercent(k3, 0)})`} caption={`output mask, 10 × 100 (${formatPercent(k3, 0)})`} />
    </div>
  );
}

/** The bytes of the pruned weights in each encoding, per layer and in all, with the ratio dense / relative. */
export function EncodingTable({ rows, total, indexBits }: { rows: EncodingRow[]; total: EncodingBytes; indexBits: number }) {
  return (
    <table className="stats">
      <caption>Bytes of the pruned weights in each encoding (float32 values; relative indices of {indexBits} bits)</caption>
      <thead>
        <tr>
          <th scope="col">layer</th>
          <th scope="col">kept</th>
          <th scope="col">dense</th>
          <th scope="col">CSR, 32-bit indices</th>
          <th scope="col">CSR, 16-bit</th>
          <th scope="col">relative</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((b) => (
          <tr key={b.name}>
            <th scope="row">{b.name}</th>
            <td>{formatNumber(b.nnz)}</td>
            <td>{kb(b.dense)}</td>
            <td>{kb(b.csr32)}</td>
            <td>{kb(b.csr16)}</td>
            <td>{kb(b.relative)}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">all</th>
          <td />
          <td>{kb(total.dense)}</td>
          <td>{kb(total.csr32)}</td>
          <td>{kb(total.csr16)}</td>
          <td data-ratio={(total.dense / total.relative).toFixed(2)}>
            {kb(total.relative)} ({(total.dense / total.relative).toFixed(1)}×)
          </td>
        </tr>
      </tbody>
    </table>
  );
}
