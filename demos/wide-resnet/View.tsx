'use client';
import type { History } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { useRemoteSimulation } from '../ui/useRemoteSimulation';
import { useReady } from '../ui/useReady';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { blocksPerGroup, DEFAULT_CONFIG, DIGITS, depthOf, NETS, PAPER_RESNET1001, PAPER_WRN, shapesOf, stackParams, wrnCount, type WideConfig, type WideFrame } from './counts';
import { DEPTHS, wideParams } from './params';
import { formatNumber, formatPercent } from '../ui/plots/scale';

type Values = ParamValues<typeof wideParams>;
const TOTAL = DEFAULT_CONFIG.total;
const COLORS = [SERIES[0], SERIES[1]];
const KS = [1, 2, 4, 8, 10];

function record(f: WideFrame, h: History) {
  if (!f.trainLoss) return;
  h.push('step', f.steps);
  f.trainLoss.forEach((v, i) => h.push(`loss${i}`, v));
}

const fmt = formatNumber;
const millions = (x: number) => `${(x / 1e6).toFixed(x < 1e6 ? 2 : 1)}\u00a0M`;
const giga = (x: number) => `${(x / 1e9).toFixed(2)}\u00a0G`;

/** The explorer's row for the reader's WRN-n-k, or the reason it has none. */
function explore(n: number, k: number): { params: number; macs: number; thin: number; N: number } | string {
  try {
    const c = wrnCount(n, k);
    return { params: c.params, macs: c.macs, thin: wrnCount(n, 1).params, N: blocksPerGroup(n) };
  } catch (e) {
    return (e as Error).message;
  }
}

/** A WRN-n-k depth/width explorer, and a deep-thin and a shallow-wide residual net trained side by side on MNIST. */
export default function WideResnetView() {
  const { values: p, set } = useDemoParams(wideParams);
  const cfg = { seed: p.seed, thinWidth: Number(p.thinWidth), thinBlocks: p.thinBlocks, wideBlocks: p.wideBlocks, lr: p.lr };
  const simulate = useRemoteSimulation<Partial<WideConfig>, WideFrame>(() => new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module' }));
  const sim = useSimulation(simulate, cfg, {
    // Each run of steps takes two calls, one per net (the second told the pacer's k, whatever the steps): the
    // budget is a ceiling, the last step of both nets stops the run (converged).
    budget: 3 * TOTAL,
    autoplay: true,
    record,
    converged: (fr) => fr.steps >= TOTAL,
  });
  // The first result is the WRN-n-k explorer, counted on the page; the race's frames come from the worker.
  useReady(true);
  const f = sim.frame;
  const h = sim.history;
  const n = Number(p.n);
  const x = explore(n, p.k);
  const shapes = sim.problem ? null : shapesOf(cfg);
  const names = shapes ? shapes.map((s, i) => `${NETS[i]} (${depthOf(s)} layers × ${s.width})`) : [...NETS];

  return (
    <div className="wide-resnet-demo">
      <p className="demo-sub">1 · WRN-n-k on 32×32 CIFAR images: parameters and multiply-adds</p>
      <ParamControls table={wideParams} values={p} onChange={set} only={['n', 'k'] as (keyof Values)[]} />
      {typeof x === 'string' ? (
        <p className="plot-caption" role="alert">{x}</p>
      ) : (
        <p className="plot-caption" data-params={x.params} data-macs={x.macs}>
          WRN-{n}-{p.k}: N = {x.N} blocks per group, widths {16 * p.k}, {32 * p.k}, {64 * p.k}.{' '}
          <strong>{fmt(x.params)} parameters</strong> ({(x.params / x.thin).toFixed(1)}× the thin WRN-{n}-1) and{' '}
          <strong>{giga(x.macs)} multiply-adds</strong> per 32×32 image.
        </p>
      )}
      <Chart
        label="Parameters of WRN-n-k against depth n, one line per widening factor k"
        log
        height={200}
        x={DEPTHS}
        xLabel="depth n"
        yLabel="parameters"
        series={KS.map((k, i) => ({ label: `k = ${k}`, color: SERIES[i + 2], values: DEPTHS.map((n) => wrnCount(n, k).params), dashed: k !== p.k }))}
      />
      <table className="stats">
        <caption>The paper&apos;s CIFAR networks (its Table 5): our formula beside its parameter counts and test errors</caption>
        <thead>
          <tr>
            <th scope="col">network</th>
            <th scope="col">params (paper)</th>
            <th scope="col">params (formula)</th>
            <th scope="col">multiply-adds</th>
            <th scope="col">CIFAR-10 error</th>
            <th scope="col">CIFAR-100 error</th>
          </tr>
        </thead>
        <tbody>
          {PAPER_WRN.map((q) => {
            const c = wrnCount(q.n, q.k);
            const mine = q.n === n && q.k === p.k;
            return (
              <tr key={q.name} aria-current={mine ? 'true' : undefined} style={mine ? { fontWeight: 600 } : undefined}>
                <th scope="row">{q.name}</th>
                <td>{q.paramsM.toFixed(1)}&nbsp;M</td>
                <td>{millions(c.params)}</td>
                <td>{giga(c.macs)}</td>
                <td>{q.cifar10.toFixed(2)}&nbsp;%</td>
                <td>{q.cifar100.toFixed(2)}&nbsp;%</td>
              </tr>
            );
          })}
          <tr>
            <th scope="row">{PAPER_RESNET1001.name}</th>
            <td>{PAPER_RESNET1001.paramsM.toFixed(1)}&nbsp;M</td>
            <td title="bottleneck blocks: not a WRN-n-k">bottleneck</td>
            <td></td>
            <td>{PAPER_RESNET1001.cifar10.toFixed(2)}&nbsp;%</td>
            <td>{PAPER_RESNET1001.cifar100.toFixed(2)}&nbsp;%</td>
          </tr>
        </tbody>
      </table>

      <p className="demo-sub">2 · Deep-thin against shallow-wide, same parameter budget, trained live on MNIST</p>
      <ParamControls table={wideParams} values={p} onChange={set} only={['thinWidth', 'thinBlocks', 'wideBlocks', 'lr', 'seed'] as (keyof Values)[]} />
      <Transport
        sim={sim}
        status={f ? `SGD step ${f.steps} of ${TOTAL}, batches of ${DEFAULT_CONFIG.batchSize}` : `loading ${fmt(DIGITS)} MNIST digits…`}
      />
      {shapes && (
        <p className="plot-caption">
          {shapes.map((s, i) => `${names[i]}: ${fmt(stackParams(s))} parameters`).join(' · ')}
        </p>
      )}
      <Chart
        label="Training cross-entropy per SGD step (mean over each frame's mini-batches)"
        log
        height={200}
        x={h.values('step')}
        xLabel="SGD step"
        yLabel="train cross-entropy"
        series={NETS.map((_, i) => ({ label: names[i], color: COLORS[i], values: h.values(`loss${i}`) }))}
      />
      {f && (
        <p className="plot-caption" data-ms={Array.from(f.msPerStep).join(',')}>
          At step {f.measuredAt}, on {DEFAULT_CONFIG.probe} held-out digits:{' '}
          {NETS.map((n, i) => `${n} error ${formatPercent(f.probeError[i])} (cross-entropy ${f.probeLoss[i].toFixed(3)})`).join(' · ')}.{' '}
          Wall time per step on this backend:{' '}
          <strong>{NETS.map((n, i) => `${n} ${Number.isFinite(f.msPerStep[i]) ? `${f.msPerStep[i].toFixed(2)} ms` : '…'}`).join(' · ')}</strong>
          {Number.isFinite(f.msPerStep[0]) && f.msPerStep[1] > 0 ? ` (the deep-thin net takes ${(f.msPerStep[0] / f.msPerStep[1]).toFixed(1)}× as long)` : ''}.
        </p>
      )}
    </div>
  );
}
