'use client';
import { useMemo, useState } from 'react';
import { publishedAt, type Summary } from './model';
import { bytesText, int, lastMap, macsText, nextSort, opLabel, pairText, publishedMacs, publishedNote, publishedParams, shapeText, tableRows, type Sort, type SortKey } from './display';

/** Every layer: output shape, parameters, multiply-adds, activation memory, receptive field; sortable; totals. */
export function LayerTable({ s }: { s: Summary }) {
  const [sort, setSort] = useState<Sort>({ key: 'index', dir: 1 });
  const [costly, setCostly] = useState(false);
  const rows = useMemo(() => tableRows(s.layers, sort, costly), [s, sort, costly]);
  const head = (key: SortKey, label: string) => (
    <th aria-sort={sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="arch-sort" onClick={() => setSort((q) => nextSort(q, key))}>
        {label}
        {sort.key === key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
  return (
    <>
      <label className="arch-check">
        <input type="checkbox" checked={costly} onChange={(e) => setCostly(e.target.checked)} /> only layers with parameters or multiply-adds
      </label>
      <div className="arch-table-wrap">
        <table className="stats arch-table">
          <thead>
            <tr>
              {head('index', '#')}
              <th className="arch-left">layer</th>
              <th className="arch-left">type</th>
              <th>output C×H×W</th>
              {head('params', 'params')}
              {head('macs', 'MACs')}
              {head('memory', 'activations')}
              {head('rf', 'receptive field (jump)')}
            </tr>
          </thead>
          <tbody>
            {rows.map((l) => (
              <tr key={l.index} className={l.problem ? 'arch-problem' : undefined} title={l.problem}>
                <td>{l.index}</td>
                <td className="arch-left">{l.name}</td>
                <td className="arch-left">{l.op === 'unknown' ? `${l.detail} (not read)` : opLabel(l)}</td>
                <td>{shapeText(l.shape)}</td>
                <td>{int(l.params)}</td>
                <td>{int(l.macs)}</td>
                <td>{bytesText(l.memory)}</td>
                <td>
                  {pairText(l.rf)} ({pairText(l.jump)})
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th />
              <th style={{ textAlign: 'left' }}>total, {s.layers.length} layers</th>
              <th />
              <th>{shapeText(s.output)}</th>
              <th>{int(s.params)}</th>
              <th>{int(s.macs)}</th>
              <th>{bytesText(s.memory)}</th>
              <th>{s.rf}</th>
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}

/** The model's problems (layers not read), its totals, and the published figures of a named architecture beside them. */
export function Totals({ s, named }: { s: Summary; named: { resolution: number; width: number; pub: ReturnType<typeof publishedAt> } | null }) {
  const pub = named?.pub;
  const last = lastMap(s);
  return (
    <>
      {s.problems.length > 0 && (
        <ul className="demo-error" role="alert">
          {s.problems.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      <table className="stats arch-totals">
        <caption>
          {named ? `${s.name} at ${named.resolution}×${named.resolution}` : 'Your model'}: batch 1; multiply-adds (MACs) of convolution and linear layers, weights only; BN’s γ and β count
          as parameters
          {named ? publishedNote(named.pub, named.resolution, named.width) : ''}
        </caption>
        <tbody>
          <tr>
            <th>parameters</th>
            <td>{int(s.params)}</td>
            {pub && <td className="arch-pub">published {publishedParams(pub)}</td>}
          </tr>
          <tr>
            <th>multiply-adds</th>
            <td>{macsText(s.macs)}</td>
            {pub && <td className="arch-pub">{publishedMacs(pub)}</td>}
          </tr>
          <tr>
            <th>activations (all layer outputs)</th>
            <td>{bytesText(s.memory)}</td>
          </tr>
          {last && (
            <tr>
              <th>receptive field of the last map</th>
              <td>{pairText(last.rf)} px</td>
              <td className="arch-pub">{last.name}</td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}

/** The reader's own model.json, pasted or opened; it stays in the page (not in the URL). */
export function PasteModel({ onRead, back }: { onRead: (text: string) => void; back: { arch: string; onClick: () => void } | null }) {
  const [pasted, setPasted] = useState('');
  return (
    <details className="arch-paste">
      <summary>Paste or open your own tfjs / Keras model.json</summary>
      <p className="plot-caption">
        Sequential and functional models; the input shape must be fixed. Your model stays in this page: it is not sent anywhere and not put in the URL (a link keeps
        only the architecture, resolution and width above).
      </p>
      <textarea rows={5} value={pasted} onChange={(e) => setPasted(e.target.value)} placeholder='{"modelTopology": {"class_name": "Sequential", "config": {"layers": [...]}}}' aria-label="model.json text" className="arch-textarea" />
      <div className="toolbar">
        <button type="button" onClick={() => onRead(pasted)} disabled={!pasted.trim()}>
          Count this model
        </button>
        <input
          type="file"
          accept=".json,application/json"
          aria-label="Open a model.json file"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            const text = await f.text();
            setPasted(text);
            onRead(text);
          }}
        />
        {back && (
          <button type="button" onClick={back.onClick}>
            Back to {back.arch}
          </button>
        )}
      </div>
    </details>
  );
}
