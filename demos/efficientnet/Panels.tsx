'use client';
import type { ChangeEvent } from 'react';
import { downloadJson } from '../ui/download';
import { ColumnHeads } from '../ui/ColumnHeads';
import type { compound, FamilyRow, SearchResults } from './model';
import { coeffsText, fmt, group, KIND_LABEL, kmacs } from './display';
import { formatPercent } from '../ui/plots/scale';

/** The calculator's reading: d, w, r at φ, the multiply-add factor, and whether α·β²·γ² ≈ 2 makes it 2^φ. */
export function CompoundStatus({ phi, at, constraint }: { phi: number; at: ReturnType<typeof compound>; constraint: number }) {
  return (
    <span className="status-line" aria-live="polite" data-flops={at.flops}>
      φ = {fmt(phi, 1)}: depth d = α<sup>φ</sup> = {fmt(at.depth)}, width w = β<sup>φ</sup> = {fmt(at.width)}, resolution r = γ<sup>φ</sup> = {fmt(at.resolution)} (
      {Math.round(224 * at.resolution)} px from 224); multiply-adds × d·w²·r² = {fmt(at.flops)}, and α·β²·γ² = {fmt(constraint, 3)}
      {Math.abs(constraint - 2) > 0.1 ? (
        <>
          {' '}
          — not ≈ 2, so this is not 2<sup>φ</sup>
        </>
      ) : (
        <>
          , so ≈ 2<sup>φ</sup> = {fmt(2 ** phi)}
        </>
      )}
      .
    </span>
  );
}

/** B0…B7: scaling, resolution, counted parameters and multiply-adds, torchvision's figures; each links to the explorer. */
export function FamilyTable({ rows }: { rows: FamilyRow[] }) {
  return (
    <div style={{ overflowX: 'auto' }}>
      <table className="stats" style={{ whiteSpace: 'nowrap' }}>
        <ColumnHeads names={['model', 'w', 'd', 'px', 'params (counted)', 'GMACs (counted)', 'torchvision GMACs', 'top-1']} />
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <th scope="row">
                <a href={`/large-networks/architectures/?arch=${r.name}&resolution=${r.resolution}`}>B{r.name.slice(-1)}</a>
              </th>
              <td>{r.width.toFixed(1)}</td>
              <td>{r.depth.toFixed(1)}</td>
              <td>{r.resolution}</td>
              <td data-params={r.params}>{group(r.params)}</td>
              <td>{(r.macs / 1e9).toFixed(3)}</td>
              <td>{r.published.gmacs.toFixed(3)}</td>
              <td>{r.published.top1.toFixed(1)}&nbsp;%</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every child of a search: kind, φ, coefficients, network, cost, accuracy and training time. */
export function ChildrenTable({ results }: { results: SearchResults }) {
  return (
    <div style={{ overflowX: 'auto' }}>
      <table className="stats" style={{ whiteSpace: 'nowrap' }}>
        <ColumnHeads names={['child', 'φ', 'α, β, γ', 'layers / stage', 'channels', 'px', 'MACs', 'params', 'test acc.', 's']} />
        <tbody>
          {results.children.map((ch, i) => (
            <tr key={i} data-kind={ch.kind}>
              <th scope="row">{KIND_LABEL[ch.kind]}</th>
              <td>{ch.phi}</td>
              <td>{coeffsText(ch.coeffs)}</td>
              <td>{ch.arch.layers}</td>
              <td>{ch.arch.channels.join('/')}</td>
              <td>{ch.arch.pixels}</td>
              <td>{kmacs(ch.macs)}</td>
              <td>{group(ch.params)}</td>
              <td>{formatPercent(ch.accuracy)}</td>
              <td>{ch.seconds ? ch.seconds.toFixed(1) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Which results are shown, and what they were run with (and the α, β, γ they chose). */
export function ShownSettings({ source, results: r }: { source: string; results: SearchResults }) {
  return (
    <p className="status-line" style={{ margin: '0.4rem 0' }}>
      Showing {source}: seed {r.settings.seed}, {r.settings.steps} steps per child, {r.settings.candidates} grid candidates
      {r.chosen ? `; chosen α = ${r.chosen.alpha}, β = ${r.chosen.beta}, γ = ${r.chosen.gamma}` : ''}.
    </p>
  );
}

/** Export the shown results as JSON, import a file exported before (a bad one's reason under the buttons). */
export function ResultFiles({ shown, onImport, error }: { shown: SearchResults; onImport: (f: File) => void; error: string }) {
  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (f) onImport(f);
  };
  return (
    <>
      <div className="toolbar">
        <button type="button" onClick={() => downloadJson(`efficientnet-search-seed${shown.settings.seed}.json`, shown, 1)}>
          Export results (JSON)
        </button>
        <label className="button-like">
          Import results… <input type="file" accept="application/json,.json" onChange={onFile} style={{ maxWidth: '14rem' }} />
        </label>
      </div>
      {error && (
        <p role="alert" data-import-error="">
          {error}
        </p>
      )}
    </>
  );
}
