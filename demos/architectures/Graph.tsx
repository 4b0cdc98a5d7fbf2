'use client';
import { useMemo, useState, type ReactNode } from 'react';
import type { Layer, Summary } from './model';
import { costOf, foldRows, groupBy, inputsText, int, macsText, opLabel, rowTotals, shapeText } from './display';

/** One drawn row: an op with the BN, activation and dropout folded into it, its output shape and cost. */
function Row({ row, names }: { row: Layer[]; names: Map<number, string> | null }) {
  const head = row[0];
  const { params, macs } = rowTotals(row);
  // Inputs other than the row above (functional models without drawn branches, merges).
  const from = inputsText(head, names);
  return (
    <div className={`arch-row${head.problem ? ' arch-problem' : ''}`} title={row.map((l) => l.name).join(', ')}>
      <span className="arch-op">{row.map(opLabel).join(' · ')}</span>
      <span className="arch-shape">{shapeText(row[row.length - 1].shape)}</span>
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

/** The graph: stages (collapsible; all open or shut by `openAll`, else the first open), blocks (boxes), branches side by side. */
export function Graph({ s, openAll }: { s: Summary; openAll: boolean | null }) {
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
