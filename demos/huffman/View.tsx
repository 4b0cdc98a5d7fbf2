'use client';
import { useMemo } from 'react';
import type { Simulation } from '../runtime/simulation';
import { loadDenseWeights, type DenseWeights } from '../runtime/compress/layers';
import { MODELS_BASE_URL } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { canonicalCodes, createHuffmanBuild, huffmanCodeLengths, layerStreams, streamBits, type HuffmanFrame } from './model';
import { huffmanParams } from './params';
import { TreeCanvas } from './TreeCanvas';
import { formatNumber, formatPercent } from '../ui/plots/scale';

const MODEL = 'mlp';
const fmt = formatNumber;

/**
 * Huffman's tree built merge by merge on the symbols a pruned, clustered layer of the shipped MLP stores.
 * The simulation starts only once the network has loaded (a placeholder run would race the real one).
 */
export default function HuffmanView() {
  const net = useResource((signal, onProgress) => loadDenseWeights(MODEL, { baseUrl: MODELS_BASE_URL, signal, onProgress }), MODEL);
  if (!net.value) {
    return (
      <div className="huffman-demo">
        <label htmlFor="huffman-progress" className="status-line">
          Loading the shipped MLP… {Math.round(100 * net.progress)} %
        </label>
        <progress id="huffman-progress" max={1} value={net.progress} style={{ width: '100%' }} />
      </div>
    );
  }
  return <Coded layers={net.value.layers} />;
}

function Coded({ layers }: { layers: DenseWeights[] }) {
  const { values: p, set } = useDemoParams(huffmanParams);
  const layer = layers.find((l) => l.name === p.layer) ?? layers[0];
  const { keep, bits, indexBits } = p;
  const streams = useMemo(() => layerStreams(layer, { keep: keep / 100, bits, indexBits }), [layer, keep, bits, indexBits]);
  const counts = p.stream === 'gaps' ? streams.gapCounts : streams.weightCounts;
  const symbolBits = p.stream === 'gaps' ? indexBits : bits;

  // Re-created whenever a parameter changes; the counts follow from the parameters.
  const simulate = (): Simulation<HuffmanFrame> => createHuffmanBuild(counts);
  const merges = Math.max(1, counts.filter((c) => c > 0).length - 1);
  const sim = useSimulation(simulate, p, { budget: merges, autoplay: true, pace: { max: 2 }, converged: (f) => f.done >= merges });
  const f = sim.frame;

  const rows = [
    { name: 'Cluster indices', entries: streams.kept, note: '', b: streamBits(streams.weightCounts, bits) },
    { name: 'Relative indices', entries: streams.kept + streams.fillers, note: streams.fillers ? ` (${fmt(streams.fillers)} fillers)` : '', b: streamBits(streams.gapCounts, indexBits) },
  ];
  const perWeight = (which: 'fixed' | 'huffman' | 'entropy') => rows.reduce((s, r) => s + r.entries * r.b[which], 0) / streams.kept;
  const lengths = f && f.done === merges ? huffmanCodeLengths(counts) : null;
  const codes = lengths ? canonicalCodes(lengths) : null;
  const ranked = counts.map((c, i) => [c, i]).filter(([c]) => c > 0).sort((a, b) => b[0] - a[0]);
  const symbolName = (s: number) => (p.stream === 'gaps' ? `gap ${s + 1}` : `w = ${streams.centroids[s].toFixed(3)}`);
  const last = f && f.done > 0 ? f.tree.merges[f.done - 1] : null;

  return (
    <div className="huffman-demo">
      <ParamControls table={huffmanParams} values={p} onChange={set} />
      <Transport sim={sim} status={f ? `merge ${f.done} of ${merges}` : ''} />
      {f && (
        <>
          <TreeCanvas frame={f} label={`Huffman tree of the ${p.stream === 'gaps' ? 'relative indices' : 'cluster indices'} of layer ${p.layer}, after ${f.done} of ${merges} merges`} />
          <p className="plot-caption" data-bits={f.partialBits.toFixed(4)}>
            {last
              ? `Merge ${f.done}: the two lightest subtrees (counts ${fmt(f.tree.weights[last[0]])} and ${fmt(f.tree.weights[last[1]])}) joined into one of ${fmt(f.tree.weights[f.tree.symbols.length + f.done - 1])}; every symbol under it gains a bit. `
              : 'Each symbol starts as its own tree, at the height of its count. '}
            Mean code length so far: {f.partialBits.toFixed(2)} bits per symbol (fixed-length: {symbolBits}).
          </p>
        </>
      )}
      <table className="stats">
        <caption>
          Layer {p.layer}: {fmt(streams.kept)} of {fmt(streams.weights)} weights kept ({formatPercent(streams.kept / streams.weights, 0)}); bits per stored symbol
        </caption>
        <thead>
          <tr>
            <th scope="col">stream</th>
            <th scope="col">symbols</th>
            <th scope="col">fixed</th>
            <th scope="col">Huffman</th>
            <th scope="col">entropy H</th>
            <th scope="col">saved</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <th scope="row">{r.name}</th>
              <td>
                {fmt(r.entries)}
                {r.note}
              </td>
              <td>{r.b.fixed}</td>
              <td>{r.b.huffman.toFixed(2)}</td>
              <td>{r.b.entropy.toFixed(2)}</td>
              <td>{formatPercent(1 - r.b.huffman / r.b.fixed, 0)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Both, per kept weight</th>
            <td />
            <td>{perWeight('fixed').toFixed(2)}</td>
            <td data-huffman-bits={perWeight('huffman').toFixed(4)}>{perWeight('huffman').toFixed(2)}</td>
            <td>{perWeight('entropy').toFixed(2)}</td>
            <td>{formatPercent(1 - perWeight('huffman') / perWeight('fixed'), 0)}</td>
          </tr>
        </tbody>
      </table>
      {codes && ranked.length > 1 && (
        <p className="plot-caption">
          Codes (canonical): most frequent {ranked.slice(0, 3).map(([c, s]) => `${symbolName(s)} ×${fmt(c)} → ${codes[s]}`).join(' · ')}; rarest{' '}
          {ranked.slice(-2).map(([c, s]) => `${symbolName(s)} ×${fmt(c)} → ${codes[s]}`).join(' · ')}.
        </p>
      )}
    </div>
  );
}
