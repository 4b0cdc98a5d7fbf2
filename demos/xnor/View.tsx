'use client';
import type { tf } from '../runtime/tf';
import type { Simulation } from '../runtime/simulation';
import type { MnistArrays } from '../runtime/data/idx';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadModel, MODELS_BASE_URL, type ModelManifest } from '../runtime/data/models';
import { cnnWeights } from '../runtime/models/binary';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { useFrame } from '../ui/frame';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { LoadProgress, progressParts } from '../ui/controls/LoadProgress';
import { MapImage } from '../ui/plots/MapImage';
import { SERIES } from '../ui/plots/palette';
import {
  BINARY_MODES,
  cnnCost,
  cnnTotals,
  conv2Arrays,
  createXnorDemo,
  demoSteps,
  filterSlice,
  macsOf,
  paperSpeedup,
  TIMING_SHAPES,
  type BinaryMode,
  type Networks,
  type XnorFrame,
} from './model';
import { xnorParams } from './params';

const TEST_DIGITS = 1000;
/** Digits scored per step by each of the three networks: ~20 M multiply-adds each on WASM or WebGL keeps a step
 * within a frame's budget; the cpu backend runs convolutions in plain JavaScript, so it takes fewer. */
const batchFor = (backend: string) => (backend === 'cpu' ? 4 : 20);
const REPEATS = 5;
const NAMES: Record<BinaryMode, string> = { full: 'cnn', bwn: 'cnn-bwn', xnor: 'cnn-xnor' };
const LABELS: Record<BinaryMode, string> = { full: 'full precision', bwn: 'binary weights (BWN)', xnor: 'XNOR-Net' };
const WHAT: Record<BinaryMode, string> = { full: 'float weights and inputs', bwn: 'α·sign(W), float inputs', xnor: 'α·sign(W) and K·sign(I)' };

interface Loaded {
  nets: Networks;
  models: tf.LayersModel[];
  manifests: Record<BinaryMode, ModelManifest>;
  test: MnistArrays;
  conv2: Awaited<ReturnType<typeof conv2Arrays>>;
}

async function loadAll(signal: AbortSignal, onProgress: (f: number) => void): Promise<Loaded> {
  const report = progressParts(4, onProgress);
  const models: tf.LayersModel[] = [];
  try {
    const load = (m: BinaryMode, i: number) =>
      loadModel(NAMES[m], { baseUrl: MODELS_BASE_URL, signal, onProgress: report(i) }).then((r) => {
        models.push(r.model);
        return r;
      });
    const [full, bwn, xnor, test] = await Promise.all([
      load('full', 0),
      load('bwn', 1),
      load('xnor', 2),
      loadMnist({ split: 'test', count: TEST_DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: report(3).bytes }),
    ]);
    const nets = { full: cnnWeights(full.model), bwn: cnnWeights(bwn.model), xnor: cnnWeights(xnor.model) };
    return { nets, models, manifests: { full: full.manifest, bwn: bwn.manifest, xnor: xnor.manifest }, test, conv2: await conv2Arrays(nets.bwn) };
  } catch (e) {
    models.forEach((m) => m.dispose());
    throw e;
  }
}

const pct = (x: number) => `${(100 * x).toFixed(2)}\u00a0%`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 1 ? 3 : v < 10 ? 2 : 1) : '…');
const times = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 1 : 0)}×` : '…');

/** The shipped CNN binarised (BWN, XNOR) beside full precision, its cost, and a bit-packed XNOR kernel timed here. */
export default function XnorView() {
  const res = useResource(loadAll, 'cnn+cnn-bwn+cnn-xnor+test', (v) => v.models.forEach((m) => m.dispose()));
  if (!res.value) {
    return (
      <div className="xnor-demo">
        <LoadProgress id="xnor-progress" what={`the shipped CNN, its two binarised versions and ${int(TEST_DIGITS)} test digits`} progress={res.progress} />
      </div>
    );
  }
  return <Loaded {...res.value} />;
}

function Loaded({ nets, manifests, test, conv2 }: Loaded) {
  const { values: p, set } = useDemoParams(xnorParams);
  const { backend } = useFrame();
  const opts = { batch: batchFor(backend), repeats: REPEATS };
  const total = demoSteps(test.count, opts);
  const simulate = (q: { backend: string }): Simulation<XnorFrame> => createXnorDemo(nets, test, { ...opts, batch: batchFor(q.backend) });
  const sim = useSimulation(simulate, { backend }, { budget: total, autoplay: true, pace: { max: 1 }, converged: (f) => f.done });
  const f = sim.frame;
  const slice = filterSlice(conv2, p.filter, p.channel);
  const scale = Math.max(...Array.from(slice.latent, Math.abs), slice.alpha);
  const rows = cnnCost();
  const totals = cnnTotals(rows);
  const status = !f
    ? ''
    : f.scored < test.count
      ? `scoring test digits on ${backend}: ${int(f.scored)} of ${int(test.count)}`
      : f.done
        ? `${int(test.count)} digits scored and ${TIMING_SHAPES.length} layer shapes timed on ${backend}`
        : `timing ${TIMING_SHAPES[f.timing?.current ?? 0]?.label ?? ''} on ${backend}`;

  return (
    <div className="xnor-demo">
      <Transport sim={sim} status={status} />
      <table className="stats" data-testid="xnor-accuracy">
        <caption>
          The shipped CNN with conv2 and fc1 binarised (conv1 and the output layer stay in float): accuracy on the same test digits
        </caption>
        <thead>
          <tr>
            <th scope="col">network</th>
            <th scope="col">conv2 and fc1</th>
            <th scope="col">
              here, first {int(f?.scored ?? 0)} digits ({backend})
            </th>
            <th scope="col">script, all 10,000</th>
          </tr>
        </thead>
        <tbody>
          {BINARY_MODES.map((m) => (
            <tr key={m} data-mode={m}>
              <th scope="row">{LABELS[m]}</th>
              <td>{WHAT[m]}</td>
              <td>{f && f.scores[m].count > 0 ? pct(f.scores[m].correct / f.scores[m].count) : '…'}</td>
              <td>{pct(manifests[m].test.accuracy)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <ParamControls table={xnorParams} values={p} onChange={set} />
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '1rem', alignItems: 'flex-end' }}>
        <MapImage values={slice.latent} width={5} height={5} zoom={14} scale={scale} label={`conv2 filter ${p.filter}, input channel ${p.channel}: latent real weights`} caption="W (latent, real)" />
        <MapImage values={slice.binary} width={5} height={5} zoom={14} scale={scale} label={`the same taps binarised: alpha times sign of W`} caption={`α·sign(W), α = ${slice.alpha.toFixed(4)}`} />
        <AlphaBars alphas={conv2.alphas} chosen={p.filter} />
      </div>
      <p className="plot-caption">
        cnn-bwn&apos;s conv2: one filter&apos;s 5×5 taps on one of its 16 input channels before and after binarising (same colour scale; blue is negative), and α = ‖W‖₁/400 for each of
        the 32 filters.
      </p>

      <table className="stats" data-testid="xnor-cost">
        <caption>Per digit: multiply-adds in float, ±1 products done by XNOR and popcount, and storage in bits</caption>
        <thead>
          <tr>
            <th scope="col">layer</th>
            <th scope="col">multiply-adds (float)</th>
            <th scope="col">binary ops (XNOR)</th>
            <th scope="col">32-bit words</th>
            <th scope="col">bits, float</th>
            <th scope="col">bits, binarised</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <th scope="row">
                {r.name}
                {r.binary ? '' : ' (float)'}
              </th>
              <td>{int(r.macs)}</td>
              <td>{r.binary ? int(r.macs) : '—'}</td>
              <td>{r.binary ? int((r.outputs * r.fanIn) / 32) : '—'}</td>
              <td>{int(r.bitsFloat)}</td>
              <td>{int(r.bitsBinary)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">total</th>
            <td>{int(totals.macs)}</td>
            <td>{int(totals.binaryOps)}</td>
            <td></td>
            <td>{int(totals.bitsFloat)}</td>
            <td>
              {int(totals.bitsBinary)} ({times(totals.bitsFloat / totals.bitsBinary)} smaller; conv2 + fc1 {times(totals.binaryLayerBitsFloat / totals.binaryLayerBits)})
            </td>
          </tr>
        </tbody>
      </table>

      <table className="stats" data-testid="xnor-timings">
        <caption>
          One binary convolution timed here: tfjs conv2d on {backend} and a plain JavaScript loop (float32), against the packed XNOR-popcount kernel (input signs packed
          each run); median of {REPEATS} runs after a warm-up, milliseconds
        </caption>
        <thead>
          <tr>
            <th scope="col">layer (h×w×c, k×k, filters)</th>
            <th scope="col">multiply-adds</th>
            <th scope="col">tfjs conv2d</th>
            <th scope="col">JS float loop</th>
            <th scope="col">JS XNOR</th>
            <th scope="col">float loop ÷ XNOR</th>
            <th scope="col">tfjs ÷ XNOR</th>
            <th scope="col">paper&apos;s S</th>
          </tr>
        </thead>
        <tbody>
          {TIMING_SHAPES.map((s, i) => {
            const m = f?.timing?.medians[i];
            return (
              <tr key={s.label}>
                <th scope="row">
                  {s.label}: {s.h}×{s.w}×{s.c}, {s.k}×{s.k}, {s.f}
                </th>
                <td>{int(macsOf(s))}</td>
                <td>{ms(m?.tf ?? NaN)}</td>
                <td>{ms(m?.js ?? NaN)}</td>
                <td>{ms(m?.xnor ?? NaN)}</td>
                <td>{times(m ? m.js / m.xnor : NaN)}</td>
                <td>{times(m ? m.tf / m.xnor : NaN)}</td>
                <td>{times(paperSpeedup(s.c, s.k * s.k))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="plot-caption">
        The paper&apos;s S = 64·c·N_W / (c·N_W + 64) counts 64 binary operations per clock and leaves out memory access; JavaScript has 32-bit words and no popcount instruction,
        and tfjs&apos;s conv2d on WebGL or WASM uses the GPU or SIMD, which the packed loop does not.
      </p>
    </div>
  );
}

/** α per conv2 filter as bars, the chosen filter highlighted. */
function AlphaBars({ alphas, chosen }: { alphas: Float32Array; chosen: number }) {
  const width = 256;
  const height = 70;
  const top = Math.max(...alphas);
  const w = width / alphas.length;
  return (
    <figure style={{ margin: 0 }}>
      <svg className="plot" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={`alpha for each of the ${alphas.length} conv2 filters`}>
        {Array.from(alphas, (a, i) => {
          const h = top > 0 ? ((height - 4) * a) / top : 0;
          return <rect key={i} x={i * w + 1} y={height - h} width={w - 2} height={h} fill={i === chosen ? SERIES[1] : SERIES[0]} opacity={i === chosen ? 1 : 0.6} />;
        })}
      </svg>
      <figcaption className="plot-caption">α per filter (filter {chosen} highlighted)</figcaption>
    </figure>
  );
}
