'use client';
import { MapImage } from '../ui/plots/MapImage';
import { SERIES } from '../ui/plots/palette';
import { StatsTable } from '../ui/plots/StatsTable';
import { BINARY_MODES, filterSlice, type BinaryMode, type conv2Arrays, type XnorFrame } from './model';
import { accuracyCell, costTable, int, LABELS, timingRows, WHAT } from './display';
import { formatPercent } from '../ui/plots/scale';

/** The three networks' accuracy here on the digits scored so far, beside the training script's on all 10,000. */
export function AccuracyTable({ f, backend, scriptAccuracy }: { f: XnorFrame | null; backend: string; scriptAccuracy: Record<BinaryMode, number> }) {
  return (
    <StatsTable
      testId="xnor-accuracy"
      caption="The shipped CNN with conv2 and fc1 binarised (conv1 and the output layer stay in float): accuracy on the same test digits"
      columns={['network', 'conv2 and fc1', `here, first ${int(f?.scored ?? 0)} digits (${backend})`, 'script, all 10,000']}
      rows={BINARY_MODES.map((m) => ({ key: m, head: LABELS[m], cells: [WHAT[m], accuracyCell(f, m), formatPercent(scriptAccuracy[m], 2)], data: { 'data-mode': m } }))}
    />
  );
}

/** One conv2 filter's taps on one input channel, latent and binarised on one colour scale, and α per filter. */
export function FilterPanel({ conv2, filter, channel }: { conv2: Awaited<ReturnType<typeof conv2Arrays>>; filter: number; channel: number }) {
  const slice = filterSlice(conv2, filter, channel);
  const scale = Math.max(...Array.from(slice.latent, Math.abs), slice.alpha);
  return (
    <>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '1rem', alignItems: 'flex-end' }}>
        <MapImage values={slice.latent} width={5} height={5} zoom={14} scale={scale} label={`conv2 filter ${filter}, input channel ${channel}: latent real weights`} caption="W (latent, real)" />
        <MapImage values={slice.binary} width={5} height={5} zoom={14} scale={scale} label={`the same taps binarised: alpha times sign of W`} caption={`α·sign(W), α = ${slice.alpha.toFixed(4)}`} />
        <AlphaBars alphas={conv2.alphas} chosen={filter} />
      </div>
      <p className="plot-caption">
        cnn-bwn&apos;s conv2: one filter&apos;s 5×5 taps on one of its 16 input channels before and after binarising (same colour scale; blue is negative), and α = ‖W‖₁/400 for each of
        the 32 filters.
      </p>
    </>
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

/** Per digit: multiply-adds, binary operations, words and bits of each layer, and the totals. */
export function CostTable() {
  const { rows, total } = costTable();
  return (
    <StatsTable
      testId="xnor-cost"
      caption="Per digit: multiply-adds in float, ±1 products done by XNOR and popcount, and storage in bits"
      columns={['layer', 'multiply-adds (float)', 'binary ops (XNOR)', '32-bit words', 'bits, float', 'bits, binarised']}
      rows={[...rows.map((r) => ({ key: r.name, head: r.name, cells: r.cells })), { key: 'total', head: 'total', cells: total }]}
    />
  );
}

/** One binary convolution per shape: tfjs, a float loop and the packed XNOR kernel, medians so far, and the ratios. */
export function TimingTable({ medians, backend, repeats }: { medians: Parameters<typeof timingRows>[0]; backend: string; repeats: number }) {
  return (
    <>
      <StatsTable
        testId="xnor-timings"
        caption={`One binary convolution timed here: tfjs conv2d on ${backend} and a plain JavaScript loop (float32), against the packed XNOR-popcount kernel (input signs packed each run); median of ${repeats} runs after a warm-up, milliseconds`}
        columns={['layer (h×w×c, k×k, filters)', 'multiply-adds', 'tfjs conv2d', 'JS float loop', 'JS XNOR', 'float loop ÷ XNOR', 'tfjs ÷ XNOR', "paper's S"]}
        rows={timingRows(medians).map((r) => ({ key: r.label, head: r.label, cells: r.cells }))}
      />
      <p className="plot-caption">
        The paper&apos;s S = 64·c·N_W / (c·N_W + 64) counts 64 binary operations per clock and leaves out memory access; JavaScript has 32-bit words and no popcount instruction,
        and tfjs&apos;s conv2d on WebGL or WASM uses the GPU or SIMD, which the packed loop does not.
      </p>
    </>
  );
}
