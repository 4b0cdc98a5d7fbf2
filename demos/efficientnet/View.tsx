'use client';
import { useMemo, useState, type ChangeEvent } from 'react';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { JobControls } from '../ui/controls/JobControls';
import { useReady, useShownCount } from '../ui/useReady';
import { useJob } from '../ui/useJob';
import { SERIES } from '../ui/plots/palette';
import { compound, family, parseResults, type ChildKind, type ChildResult, type SearchResults } from './model';
import { childCount, type SearchInput } from './search';
import { calcParams, searchParams } from './params';
import shippedJson from './shipped.json';

const shipped = shippedJson as unknown as SearchResults;
const fmt = (x: number, d = 2) => x.toFixed(d);
const pct = (x: number) => `${(100 * x).toFixed(1)}\u00a0%`;
const kmacs = (m: number) => `${(m / 1e3).toFixed(1)}\u00a0k`;
const group = (n: number) => n.toLocaleString('en');

const METHODS: { kind: ChildKind; label: string; color: string; dashed?: boolean }[] = [
  { kind: 'compound', label: 'compound (best α, β, γ)', color: SERIES[0] },
  { kind: 'depth', label: 'depth only', color: SERIES[1], dashed: true },
  { kind: 'width', label: 'width only', color: SERIES[2], dashed: true },
  { kind: 'resolution', label: 'resolution only', color: SERIES[3], dashed: true },
];

/** Each method's points, base first, by φ. */
function curves(r: SearchResults): { kind: ChildKind; pts: ChildResult[] }[] {
  const base = r.children.find((c) => c.kind === 'base');
  return METHODS.map((m) => ({ kind: m.kind, pts: [...(base ? [base] : []), ...r.children.filter((c) => c.kind === m.kind).sort((a, b) => a.phi - b.phi)] }));
}

/** Accuracy against multiply-adds (log scale), one line per scaling method, the grid as open circles. */
function Scatter({ results }: { results: SearchResults }) {
  const W = 480;
  const H = 270;
  const pad = { l: 46, r: 12, t: 10, b: 38 };
  const all = results.children;
  if (all.length === 0) return <p className="status-line">No child trained yet.</p>;
  const lx = all.map((c) => Math.log2(c.macs));
  const [x0, x1] = [Math.min(...lx) - 0.2, Math.max(...lx) + 0.2];
  const accs = all.map((c) => c.accuracy);
  const y0 = Math.max(0, Math.floor(20 * Math.min(...accs)) / 20 - 0.02);
  const y1 = Math.min(1, Math.ceil(20 * Math.max(...accs)) / 20 + 0.01);
  const X = (m: number) => pad.l + ((Math.log2(m) - x0) / (x1 - x0 || 1)) * (W - pad.l - pad.r);
  const Y = (a: number) => pad.t + (1 - (a - y0) / (y1 - y0 || 1)) * (H - pad.t - pad.b);
  // Round ticks: accuracy every 2 or 5 points, multiply-adds at 1, 2 and 5 times a power of ten.
  const yStep = y1 - y0 > 0.2 ? 0.05 : 0.02;
  const yt: number[] = [];
  for (let v = Math.ceil(y0 / yStep - 1e-9) * yStep; v <= y1 + 1e-9; v += yStep) yt.push(v);
  const xt: number[] = [];
  for (let e = Math.floor(x0 * Math.LOG10E * Math.LN2); e <= Math.ceil(x1 * Math.LOG10E * Math.LN2); e++)
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (Math.log2(v) >= x0 && Math.log2(v) <= x1) xt.push(v);
    }
  return (
    <figure style={{ margin: '0.4rem 0' }}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="Test accuracy against multiply-adds per digit, per scaling method" style={{ maxWidth: W + 80, display: 'block', fontSize: 13 }}>
        <g stroke="var(--line)" strokeWidth={1}>
          <rect x={pad.l} y={pad.t} width={W - pad.l - pad.r} height={H - pad.t - pad.b} fill="none" />
          {yt.map((v) => (
            <line key={`y${v}`} x1={pad.l} x2={W - pad.r} y1={Y(v)} y2={Y(v)} opacity={0.5} />
          ))}
        </g>
        <g fill="var(--muted)">
          {yt.map((v) => (
            <text key={`yl${v}`} x={pad.l - 4} y={Y(v) + 4} textAnchor="end">
              {(100 * v).toFixed(0)}
            </text>
          ))}
          {xt.map((v) => (
            <text key={`xl${v}`} x={X(v)} y={H - pad.b + 14} textAnchor="middle">
              {v >= 1e6 ? `${v / 1e6} M` : `${v / 1e3} k`}
            </text>
          ))}
          <text x={(pad.l + W - pad.r) / 2} y={H - 4} textAnchor="middle">
            multiply-adds per digit (log scale)
          </text>
          <text x={12} y={(pad.t + H - pad.b) / 2} textAnchor="middle" transform={`rotate(-90 12 ${(pad.t + H - pad.b) / 2})`}>
            test accuracy (%)
          </text>
        </g>
        {all
          .filter((c) => c.kind === 'grid')
          .map((c, i) => (
            <circle key={`g${i}`} cx={X(c.macs)} cy={Y(c.accuracy)} r={3.5} fill="none" stroke="var(--muted)" strokeWidth={1.2}>
              <title>{`grid α ${c.coeffs?.alpha}, β ${c.coeffs?.beta}, γ ${c.coeffs?.gamma}: ${pct(c.accuracy)}, ${kmacs(c.macs)} MACs`}</title>
            </circle>
          ))}
        {curves(results).map(({ kind, pts }) => {
          const m = METHODS.find((q) => q.kind === kind)!;
          return (
            <g key={kind} data-method={kind}>
              <polyline points={pts.map((c) => `${X(c.macs)},${Y(c.accuracy)}`).join(' ')} fill="none" stroke={m.color} strokeWidth={2} strokeDasharray={m.dashed ? '5 3' : undefined} />
              {pts.map((c, i) => (
                <circle key={i} cx={X(c.macs)} cy={Y(c.accuracy)} r={4} fill={m.color}>
                  <title>{`${m.label}, φ = ${c.phi}: ${pct(c.accuracy)}, ${kmacs(c.macs)} MACs`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption style={{ display: 'flex', flexWrap: 'wrap', gap: '0.3rem 1rem', fontSize: '0.85rem' }}>
        {METHODS.map((m) => (
          <span key={m.kind}>
            <span aria-hidden="true" style={{ display: 'inline-block', width: 18, borderTop: `2px ${m.dashed ? 'dashed' : 'solid'} ${m.color}`, verticalAlign: 'middle', marginRight: 4 }} />
            {m.label}
          </span>
        ))}
        <span>○ grid candidates at φ = 1</span>
      </figcaption>
    </figure>
  );
}

function download(r: SearchResults) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(r, null, 1)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `efficientnet-search-seed${r.settings.seed}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const KIND_LABEL: Record<ChildKind, string> = { base: 'base', grid: 'grid', compound: 'compound', depth: 'depth only', width: 'width only', resolution: 'resolution only' };

/**
 * EfficientNet's compound scaling: the calculator (φ → d, w, r and the multiply-add factor; B0…B7 counted by the
 * explorer's core), and a live search in a Web Worker: a grid of α, β, γ on a tiny MNIST CNN at φ = 1, the best
 * scaled to φ = 2, against depth, width or resolution scaled alone to the same multiply-add targets.
 */
export default function EfficientNetView() {
  const { values: c, set: setCalc } = useDemoParams(calcParams);
  const { values: s, set: setSearch } = useDemoParams(searchParams);
  const rows = useMemo(() => family(), []);
  const at = compound(c.phi, { alpha: c.alpha, beta: c.beta, gamma: c.gamma });
  const constraint = c.alpha * c.beta ** 2 * c.gamma ** 2;
  const calcKey = `${c.phi}|${c.alpha}|${c.beta}|${c.gamma}`;
  const frames = useShownCount(calcKey);
  useReady(true);

  const job = useJob<SearchInput, SearchResults, SearchResults>(() => new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' }));
  const [imported, setImported] = useState<SearchResults | null>(null);
  const [importError, setImportError] = useState('');
  const live = job.result ?? job.partial;
  const shown: SearchResults = live ?? imported ?? shipped;
  const source = live ? (job.result ? 'this run' : 'this run, so far') : imported ? 'the imported file' : 'the shipped run (npm run reproduce -- efficientnet)';

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    try {
      setImported(parseResults(await f.text()));
      setImportError('');
    } catch (err) {
      setImportError(`Could not read ${f.name}: ${(err as Error).message}`);
    }
  };

  return (
    <div className="efficientnet-demo">
      <ParamControls table={calcParams} values={c} onChange={setCalc} />
      <div className="toolbar" data-frames={frames} data-running="0">
        <button type="button" data-action="step" onClick={() => setCalc('phi', Math.round(10 * (c.phi >= 8 ? 0 : c.phi + 0.5)) / 10)}>
          φ + 0.5
        </button>
        <span className="status-line" aria-live="polite" data-flops={at.flops}>
          φ = {fmt(c.phi, 1)}: depth d = α<sup>φ</sup> = {fmt(at.depth)}, width w = β<sup>φ</sup> = {fmt(at.width)}, resolution r = γ<sup>φ</sup> = {fmt(at.resolution)} (
          {Math.round(224 * at.resolution)} px from 224); multiply-adds × d·w²·r² = {fmt(at.flops)}, and α·β²·γ² = {fmt(constraint, 3)}
          {Math.abs(constraint - 2) > 0.1 ? (
            <>
              {' '}
              — not ≈ 2, so this is not 2<sup>φ</sup>
            </>
          ) : (
            <>
              , so ≈ 2<sup>φ</sup> = {fmt(2 ** c.phi)}
            </>
          )}
          .
        </span>
      </div>
      <p className="status-line" style={{ margin: '0.6rem 0 0.2rem' }}>
        EfficientNet B0…B7 as torchvision builds them, counted by the <a href="/large-networks/architectures/?arch=efficientnet_b3&resolution=300">architecture explorer</a> at the resolution torchvision
        evaluates each at; top-1 of torchvision’s weights on ImageNet.
      </p>
      <div style={{ overflowX: 'auto' }}>
        <table className="stats" style={{ whiteSpace: 'nowrap' }}>
          <thead>
            <tr>
              <th scope="col">model</th>
              <th scope="col">w</th>
              <th scope="col">d</th>
              <th scope="col">px</th>
              <th scope="col">params (counted)</th>
              <th scope="col">GMACs (counted)</th>
              <th scope="col">torchvision GMACs</th>
              <th scope="col">top-1</th>
            </tr>
          </thead>
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

      <section aria-label="Grid search and scaling on a tiny CNN" style={{ marginTop: '1rem', paddingTop: '0.8rem', borderTop: '1px solid var(--line)' }}>
        <p style={{ margin: '0 0 0.6rem', fontSize: '0.95rem' }}>
          <strong>The search, live.</strong> A tiny MNIST CNN (2 + 2 convolutions, 8 and 16 channels, digits at 16 px) is scaled at φ = 1 by each grid candidate
          (α, β with γ solved from α·β²·γ² = 2), the most accurate is scaled to φ = 2, and depth, width or resolution alone take the same ×2 and ×4 multiply-adds.
          Every child trains with the same seed on the first 2,000 training digits and is scored on the first 500 test digits: {childCount(s.candidates)} trainings.
        </p>
        <ParamControls table={searchParams} values={s} onChange={setSearch} />
        <JobControls
          job={job}
          onStart={() => job.start({ seed: s.seed, steps: s.steps, candidates: s.candidates })}
          startLabel="Run the search"
          label="Children trained"
          status={live ? `${live.children.filter((q) => q.seconds > 0).length} of ${childCount(live.settings.candidates)} children trained, ${live.seconds.toFixed(1)} s of training` : undefined}
        />
        {job.state === 'error' && !job.fatal && <p role="alert">{job.error}</p>}
        <div className="toolbar">
          <button type="button" onClick={() => download(shown)}>
            Export results (JSON)
          </button>
          <label className="button-like">
            Import results… <input type="file" accept="application/json,.json" onChange={onFile} style={{ maxWidth: '14rem' }} />
          </label>
        </div>
        {importError && (
          <p role="alert" data-import-error="">
            {importError}
          </p>
        )}
        <p className="status-line" style={{ margin: '0.4rem 0' }}>
          Showing {source}: seed {shown.settings.seed}, {shown.settings.steps} steps per child, {shown.settings.candidates} grid candidates
          {shown.chosen ? `; chosen α = ${shown.chosen.alpha}, β = ${shown.chosen.beta}, γ = ${shown.chosen.gamma}` : ''}.
        </p>
        <Scatter results={shown} />
        <p className="status-line" style={{ margin: '0.6rem 0 0.2rem' }}>
          Every child of {source}
        </p>
        <div style={{ overflowX: 'auto' }}>
          <table className="stats" style={{ whiteSpace: 'nowrap' }}>
            <thead>
              <tr>
                <th scope="col">child</th>
                <th scope="col">φ</th>
                <th scope="col">α, β, γ</th>
                <th scope="col">layers / stage</th>
                <th scope="col">channels</th>
                <th scope="col">px</th>
                <th scope="col">MACs</th>
                <th scope="col">params</th>
                <th scope="col">test acc.</th>
                <th scope="col">s</th>
              </tr>
            </thead>
            <tbody>
              {shown.children.map((ch, i) => (
                <tr key={i} data-kind={ch.kind}>
                  <th scope="row">{KIND_LABEL[ch.kind]}</th>
                  <td>{ch.phi}</td>
                  <td>{ch.coeffs ? `${ch.coeffs.alpha}, ${ch.coeffs.beta}, ${ch.coeffs.gamma}` : '–'}</td>
                  <td>{ch.arch.layers}</td>
                  <td>{ch.arch.channels.join('/')}</td>
                  <td>{ch.arch.pixels}</td>
                  <td>{kmacs(ch.macs)}</td>
                  <td>{group(ch.params)}</td>
                  <td>{pct(ch.accuracy)}</td>
                  <td>{ch.seconds ? ch.seconds.toFixed(1) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
