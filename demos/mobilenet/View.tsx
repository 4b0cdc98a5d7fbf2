'use client';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { useRemoteSimulation } from '../ui/useRemoteSimulation';
import { useReady } from '../ui/useReady';
import { useFrame } from '../ui/frame';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { ColumnHeads } from '../ui/ColumnHeads';
import { layerCost, mobilenetCost, PAPER_MOBILENETS, sweepChannels, sweepSteps, type TimingFrame } from './cost';
import type { TimingParams } from './model';
import { mobilenetParams } from './params';
import { formatInt, formatPercent } from '../ui/plots/scale';

const REPEATS = 5;
const TIMING_COLUMNS = ['C', 'standard', 'separable', 'of which depthwise', 'predicted speed-up', 'measured speed-up'];

const int = formatInt;
const mega = (n: number) => (n / 1e6).toFixed(n >= 1e8 ? 0 : 1);
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : '…');
const times = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)}×` : '…');
const pct = (part: number, whole: number) => formatPercent(part / whole);

/** Depthwise separable convolution: its cost formula, MobileNet counted, and the real kernels timed on this backend. */
export default function MobilenetView() {
  const { values: p, set } = useDemoParams(mobilenetParams);
  const { backend } = useFrame();
  const f = Number(p.f);
  const k = Number(p.k);
  const channels = sweepChannels(backend);
  const simulate = useRemoteSimulation<TimingParams, TimingFrame>(() => new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module' }));
  const sim = useSimulation(simulate, { k, f, channels, repeats: REPEATS, seed: p.seed }, {
    budget: sweepSteps(channels.length, REPEATS),
    autoplay: true,
    pace: { max: 1 },
    converged: (t) => t.done,
  });
  // The first result is the cost tables, counted on the page; the timings arrive as the worker measures them.
  useReady(true);
  const cost = layerCost({ k, m: p.m, n: p.n, f });
  const alpha = Number(p.alpha);
  const input = Number(p.input);
  const net = mobilenetCost(alpha, input);
  const paper = PAPER_MOBILENETS.find((r) => r.alpha === alpha && r.input === input);
  const t = sim.frame;
  const status = t ? (t.done ? `all ${channels.length} sizes timed on ${backend}` : `timing C = ${channels[t.current]} on ${backend} (${t.steps} of ${sweepSteps(channels.length, REPEATS)} runs)`) : '';

  return (
    <div className="mobilenet-demo">
      <ParamControls table={mobilenetParams} values={p} onChange={set} only={['k', 'm', 'n', 'f']} />
      <table className="stats">
        <caption>
          One layer, D_K = {k}, M = {p.m}, N = {p.n}, D_F = {f}: mult-adds
        </caption>
        <tbody>
          <tr>
            <th scope="row">standard D_K²·M·N·D_F²</th>
            <td>{int(cost.standard)}</td>
          </tr>
          <tr>
            <th scope="row">depthwise D_K²·M·D_F²</th>
            <td>{int(cost.depthwise)}</td>
          </tr>
          <tr>
            <th scope="row">pointwise M·N·D_F²</th>
            <td>{int(cost.pointwise)}</td>
          </tr>
          <tr>
            <th scope="row">separable / standard = 1/N + 1/D_K²</th>
            <td>
              {cost.ratio.toPrecision(3)} ({(1 / cost.ratio).toFixed(1)}× fewer)
            </td>
          </tr>
        </tbody>
      </table>

      <Transport sim={sim} status={status} />
      <table className="stats" data-testid="timings">
        <caption>
          Timed here on {backend}: D_K = {k}, D_F = {f}, C = M = N channels; median of {REPEATS} runs after a warm-up, milliseconds
        </caption>
        <ColumnHeads names={TIMING_COLUMNS} />
        <tbody>
          {(t?.rows ?? channels.map((c) => ({ channels: c, predicted: 1 / layerCost({ k, m: c, n: c, f }).ratio, standardMs: NaN, separableMs: NaN, depthwiseMs: NaN, measured: NaN, samples: 0 }))).map((r) => {
            const dwShare = layerCost({ k, m: r.channels, n: r.channels, f });
            return (
              <tr key={r.channels}>
                <th scope="row">{r.channels}</th>
                <td>{ms(r.standardMs)}</td>
                <td>{ms(r.separableMs)}</td>
                <td title={`the depthwise step is ${pct(dwShare.depthwise, dwShare.separable)} of the separable layer's mult-adds`}>
                  {ms(r.depthwiseMs)}
                  {Number.isFinite(r.depthwiseMs) ? ` (${pct(r.depthwiseMs, r.separableMs)} of the time, ${pct(dwShare.depthwise, dwShare.separable)} of the work)` : ''}
                </td>
                <td>{times(r.predicted)}</td>
                <td style={Number.isFinite(r.measured) && r.measured < r.predicted / 2 ? { color: 'var(--accent)', fontWeight: 600 } : undefined}>{times(r.measured)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="plot-caption">
        Each time runs from dispatching the kernels to reading the result back, so small layers are dominated by fixed overheads. Measured speed-ups below half the
        predicted one are highlighted: the depthwise step does little arithmetic per byte it reads, so it runs far below the machine&apos;s peak.
      </p>

      <ParamControls table={mobilenetParams} values={p} onChange={set} only={['alpha', 'input']} />
      <table className="stats">
        <caption>
          MobileNet, α = {p.alpha}, {input}×{input} input, counted layer by layer here{paper ? ', beside the paper’s Tables 6–7' : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col"></th>
            <th scope="col">mult-adds (M)</th>
            <th scope="col">parameters (M)</th>
            {paper && <th scope="col">ImageNet top-1</th>}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">counted here</th>
            <td>{mega(net.macs)}</td>
            <td>{(net.params / 1e6).toFixed(2)}</td>
            {paper && <td></td>}
          </tr>
          {paper && (
            <tr>
              <th scope="row">paper</th>
              <td>{paper.macsM}</td>
              <td>{paper.paramsM}</td>
              <td>{paper.top1} %</td>
            </tr>
          )}
          <tr>
            <th scope="row">1×1 convolutions</th>
            <td>{pct(net.byKind.pointwise.macs, net.macs)}</td>
            <td>{pct(net.byKind.pointwise.params, net.params)}</td>
            {paper && <td></td>}
          </tr>
          <tr>
            <th scope="row">depthwise 3×3</th>
            <td>{pct(net.byKind.depthwise.macs, net.macs)}</td>
            <td>{pct(net.byKind.depthwise.params, net.params)}</td>
            {paper && <td></td>}
          </tr>
        </tbody>
      </table>
      {!paper && <p className="plot-caption">The paper trains this combination of α and input side in no table; the counts above are still exact.</p>}
    </div>
  );
}
