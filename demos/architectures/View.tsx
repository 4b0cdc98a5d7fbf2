'use client';
import { useMemo, useState, type ReactNode } from 'react';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useReady, useShownCount } from '../ui/useReady';
import { ARCHITECTURES, WIDTHS, publishedAt, summarize, type ArchName, type Layer, type Summary } from './model';
import { summarizeModelJson } from './keras';
import { archParams } from './params';

const int = (n: number) => n.toLocaleString('en');
const macsText = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n));
const bytesText = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`);
const shapeText = (s: number[]) => s.join('×');
const rfText = (l: Layer) => (l.rf[0] === l.rf[1] ? String(l.rf[0]) : `${l.rf[0]}×${l.rf[1]}`);
const jumpText = (l: Layer) => (l.jump[0] === l.jump[1] ? String(l.jump[0]) : `${l.jump[0]}×${l.jump[1]}`);
const FOLDED = new Set(['bn', 'act', 'dropout']);

/** Consecutive layers drawn as one row: a conv/linear/pool with the BN, activation and dropout that follow it. */
function foldRows(ls: Layer[]): Layer[][] {
  const rows: Layer[][] = [];
  for (const l of ls) {
    const prev = rows[rows.length - 1];
    if (prev && FOLDED.has(l.op) && l.inputs.length === 1 && l.inputs[0] === prev[prev.length - 1].index) prev.push(l);
    else rows.push([l]);
  }
  return rows;
}

const opLabel = (l: Layer) =>
  l.op === 'bn' ? 'BN' : l.op === 'act' ? l.detail : l.op === 'dropout' ? 'dropout' : l.op === 'conv' || l.op === 'sepconv' ? `conv ${l.detail}` : l.op === 'linear' ? `linear ${l.detail}` : l.detail || l.op;

function Row({ row, names }: { row: Layer[]; names: Map<number, string> | null }) {
  const head = row[0];
  const last = row[row.length - 1];
  const params = row.reduce((a, l) => a + l.params, 0);
  const macs = row.reduce((a, l) => a + l.macs, 0);
  // Inputs other than the row above (functional models without drawn branches, merges).
  const from = names && (head.inputs.length > 1 || (head.inputs.length === 1 && head.inputs[0] !== head.index - 1)) ? head.inputs.map((i) => names.get(i)).join(' + ') : '';
  return (
    <div className={`arch-row${head.problem ? ' arch-problem' : ''}`} title={row.map((l) => l.name).join(', ')}>
      <span className="arch-op">{row.map(opLabel).join(' · ')}</span>
      <span className="arch-shape">{shapeText(last.shape)}</span>
      {(params > 0 || macs > 0) && (
        <span className="arch-cost">
          {int(params)} p · {macsText(macs)}
        </span>
      )}
      {from && <span className="arch-from">← {from}</span>}
    </div>
  );
}

/** A run of layers; branches (by their path below `depth`) side by side. */
function Seq({ layers, depth, names }: { layers: Layer[]; depth: number; names: Map<number, string> | null }) {
  const out: ReactNode[] = [];
  const segs = (l: Layer) => (l.branch ? l.branch.split('/') : []).slice(depth);
  let i = 0;
  while (i < layers.length) {
    if (segs(layers[i]).length === 0) {
      const run: Layer[] = [];
      while (i < layers.length && segs(layers[i]).length === 0) run.push(layers[i++]);
      for (const row of foldRows(run)) out.push(<Row key={row[0].index} row={row} names={names} />);
    } else {
      const cols = new Map<string, Layer[]>();
      const start = layers[i].index;
      while (i < layers.length && segs(layers[i]).length > 0) {
        const c = segs(layers[i])[0];
        cols.set(c, [...(cols.get(c) ?? []), layers[i++]]);
      }
      out.push(
        <div className="arch-fork" key={`fork-${start}`}>
          {[...cols].map(([c, ls]) => (
            <div className="arch-col" key={c}>
              <div className="arch-col-name">{c}</div>
              <Seq layers={ls} depth={depth + 1} names={names} />
            </div>
          ))}
        </div>,
      );
    }
  }
  return <>{out}</>;
}

function groupBy(ls: Layer[], key: (l: Layer) => string): [string, Layer[]][] {
  const groups: [string, Layer[]][] = [];
  for (const l of ls) {
    const k = key(l);
    if (groups.length && groups[groups.length - 1][0] === k) groups[groups.length - 1][1].push(l);
    else groups.push([k, [l]]);
  }
  return groups;
}

const costOf = (ls: Layer[]) => `${shapeText(ls[ls.length - 1].shape)} · ${int(ls.reduce((a, l) => a + l.params, 0))} params · ${macsText(ls.reduce((a, l) => a + l.macs, 0))} MACs`;

/** One stage, collapsible; its blocks are drawn only while it is open (DenseNet has hundreds of rows). */
function Stage({ title, layers, open: initial, names }: { title: string; layers: Layer[]; open: boolean; names: Map<number, string> | null }) {
  const [open, setOpen] = useState(initial);
  return (
    <details open={initial} className="arch-stage" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>
        <strong>{title}</strong> <span className="arch-cost">{costOf(layers)}</span>
      </summary>
      {open &&
        groupBy(layers, (l) => l.block).map(([block, bl]) =>
          block ? (
            <div className="arch-block" key={block}>
              <div className="arch-block-name">
                {block} <span className="arch-cost">{costOf(bl)}</span>
              </div>
              <Seq layers={bl} depth={0} names={names} />
            </div>
          ) : (
            <Seq key={`seq-${bl[0].index}`} layers={bl} depth={0} names={names} />
          ),
        )}
    </details>
  );
}

/** The graph: stages (collapsible), blocks (boxes), branches side by side. */
function Graph({ s, openAll }: { s: Summary; openAll: boolean | null }) {
  // Where branches are drawn, rows need not say what feeds them; a model.json's graph says it in words.
  const names = useMemo(() => (s.layers.some((l) => l.branch) ? null : new Map(s.layers.map((l) => [l.index, l.name]))), [s]);
  const input = s.layers[0];
  const rest = input.op === 'input' && !input.stage ? s.layers.slice(1) : s.layers;
  return (
    <div className="arch-graph">
      {rest !== s.layers && (
        <div className="arch-row">
          <span className="arch-op">input</span>
          <span className="arch-shape">{shapeText(input.shape)}</span>
        </div>
      )}
      {groupBy(rest, (l) => l.stage).map(([stage, ls], si) => (
        <Stage key={`${s.name}-${si}-${openAll}`} title={stage || s.name} layers={ls} open={openAll ?? si === 0} names={names} />
      ))}
    </div>
  );
}

type SortKey = 'index' | 'params' | 'macs' | 'memory' | 'rf';

/** Every layer: output shape, parameters, multiply-adds, activation memory, receptive field; sortable; totals. */
function Table({ s }: { s: Summary }) {
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'index', dir: 1 });
  const [costly, setCostly] = useState(false);
  const rows = useMemo(() => {
    const ls = costly ? s.layers.filter((l) => l.params > 0 || l.macs > 0 || l.problem) : s.layers;
    const v = (l: Layer) => (sort.key === 'rf' ? Math.max(...l.rf) : l[sort.key]);
    return [...ls].sort((a, b) => sort.dir * (v(a) - v(b)) || a.index - b.index);
  }, [s, sort, costly]);
  const head = (key: SortKey, label: string) => (
    <th aria-sort={sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="arch-sort" onClick={() => setSort((q) => ({ key, dir: q.key === key ? (-q.dir as 1 | -1) : key === 'index' ? 1 : -1 }))}>
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
                  {rfText(l)} ({jumpText(l)})
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

/** The architecture explorer: a named architecture (or the reader's own model.json) as a graph and a per-layer table. */
export default function ArchitecturesView() {
  const { values: p, set } = useDemoParams(archParams);
  const arch = p.arch as ArchName;
  const widths = WIDTHS[arch];
  const asked = Number(p.width);
  const width = widths?.includes(asked) ? asked : 1;
  const widthNote = asked !== width ? `${p.width === '1' ? '' : `×${p.width} is not defined for ${arch}: `}counted at ×1${widths ? ` (defined: ${widths.join(', ')})` : ''}.` : '';
  const [pasted, setPasted] = useState('');
  const [custom, setCustom] = useState<{ summary: Summary | null; error: string } | null>(null);
  const [openAll, setOpenAll] = useState<boolean | null>(null);

  const named = useMemo(() => {
    try {
      return { summary: summarize(arch, { resolution: p.resolution, width }), error: '' };
    } catch (e) {
      return { summary: null, error: (e as Error).message };
    }
  }, [arch, p.resolution, width]);
  const shown = custom ?? named;
  const s = shown.summary;

  // Results drawn so far (the browser tests step by it): one per summary shown.
  const drawn = useShownCount(shown);
  useReady(drawn > 0);

  const read = (text: string) => {
    try {
      setCustom({ summary: summarizeModelJson(text), error: '' });
    } catch (e) {
      setCustom({ summary: null, error: (e as Error).message });
    }
  };
  const next = () => {
    setCustom(null);
    set('arch', ARCHITECTURES[(ARCHITECTURES.indexOf(arch) + 1) % ARCHITECTURES.length]);
  };
  const pub = publishedAt(arch, width);
  const lastMap = s ? [...s.layers].reverse().find((l) => l.shape.length === 3 && l.shape[1] > 1) : undefined;

  return (
    <div className="arch-demo">
      <ParamControls table={archParams} values={p} onChange={set} only={widths ? ['arch', 'resolution', 'width'] : ['arch', 'resolution']} />
      <div className="toolbar" data-frames={drawn} data-running="0">
        <button type="button" data-action="step" onClick={next}>
          Next architecture
        </button>
        <button type="button" onClick={() => setOpenAll(true)}>
          Expand all
        </button>
        <button type="button" onClick={() => setOpenAll(false)}>
          Collapse all
        </button>
        {widthNote && <span className="status-line">{widthNote}</span>}
      </div>

      <details className="arch-paste">
        <summary>Paste or open your own tfjs / Keras model.json</summary>
        <p className="plot-caption">
          Sequential and functional models; the input shape must be fixed. Your model stays in this page: it is not sent anywhere and not put in the URL (a link
          keeps only the architecture, resolution and width above).
        </p>
        <textarea rows={5} value={pasted} onChange={(e) => setPasted(e.target.value)} placeholder='{"modelTopology": {"class_name": "Sequential", "config": {"layers": [...]}}}' aria-label="model.json text" className="arch-textarea" />
        <div className="toolbar">
          <button type="button" onClick={() => read(pasted)} disabled={!pasted.trim()}>
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
              read(text);
            }}
          />
          {custom && (
            <button type="button" onClick={() => setCustom(null)}>
              Back to {arch}
            </button>
          )}
        </div>
      </details>

      {shown.error && (
        <p className="demo-error" role="alert">
          {custom ? 'Your model.json: ' : ''}
          {shown.error}
        </p>
      )}
      {s && (
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
              {custom ? 'Your model' : `${s.name} at ${p.resolution}×${p.resolution}`}: batch 1; multiply-adds (MACs) of convolution and linear layers, weights only; BN’s γ and β
              count as parameters
              {custom ? '' : pub ? `. Published: ${pub.source}${pub.resolution !== p.resolution ? `, at ${pub.resolution}×${pub.resolution}` : ''}` : `. No published figure for ×${width}`}
            </caption>
            <tbody>
              <tr>
                <th>parameters</th>
                <td>{int(s.params)}</td>
                {!custom && pub && <td className="arch-pub">published {pub.paramDigits !== undefined ? `${(pub.params / 1e6).toFixed(pub.paramDigits)} M` : int(pub.params)}</td>}
              </tr>
              <tr>
                <th>multiply-adds</th>
                <td>{macsText(s.macs)}</td>
                {!custom && pub && <td className="arch-pub">{pub.gmacs !== undefined ? `published ${pub.source === 'torchvision' ? pub.gmacs.toFixed(2) : pub.gmacs} G` : 'not published'}</td>}
              </tr>
              <tr>
                <th>activations (all layer outputs)</th>
                <td>{bytesText(s.memory)}</td>
              </tr>
              {lastMap && (
                <tr>
                  <th>receptive field of the last map</th>
                  <td>{rfText(lastMap)} px</td>
                  <td className="arch-pub">{lastMap.name}</td>
                </tr>
              )}
            </tbody>
          </table>
          <p className="demo-sub">The graph: stages, blocks, branches side by side</p>
          <Graph s={s} openAll={openAll} />
          <p className="demo-sub">Every layer</p>
          <Table s={s} />
        </>
      )}
    </div>
  );
}
