'use client';
import type { Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import type { MnistArrays } from '../runtime/data/idx';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { MODELS_BASE_URL } from '../runtime/data/models';
import { loadDenseWeights, type DenseWeights } from '../runtime/compress/layers';
import type { CompressionMode } from '../runtime/compress/format';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { LoadProgress, progressParts } from '../ui/controls/LoadProgress';
import { createDecodedScore, loadShipped, type ScoreFrame, type Shipped } from './model';
import { deepCompressionParams } from './params';
import { formatNumber, formatPercent } from '../ui/plots/scale';

const kb = (b: number) => `${(b / 1000).toFixed(1)}\u00a0KB`;
const fmt = formatNumber;

/** The paper's LeNet-300-100 row for each stage (Han, Mao & Dally 2016, Tables 1 and 2). */
const PAPER: Record<'dense' | CompressionMode, { what: string; size: string; error?: string }> = {
  dense: { what: 'dense float32', size: '1070 KB (1×)', error: '1.64 %' },
  pruned: { what: 'pruned, retrained', size: '8 % of the weights (12×)' },
  quantized: { what: '+ weight sharing, fine-tuned', size: '3.1 % of the size (32×)' },
  huffman: { what: '+ Huffman coding', size: '27 KB (40×)', error: '1.58 %' },
};

interface Loaded {
  shipped: Shipped;
  dense: DenseWeights[];
  test: MnistArrays;
}

async function loadAll(signal: AbortSignal, onProgress: (f: number) => void): Promise<Loaded> {
  const report = progressParts(2, onProgress);

  const [shipped, net, test] = await Promise.all([
    loadShipped(MODELS_BASE_URL, { signal }),
    loadDenseWeights('mlp', { baseUrl: MODELS_BASE_URL, signal, onProgress: report(0) }),
    loadMnist({ split: 'test', baseUrl: MNIST_BASE_URL, signal, onProgress: report(1).bytes }),
  ]);
  return { shipped, dense: net.layers, test };
}

/** The shipped Deep Compression result: its table, and each stage's bytes decoded and scored live. */
export default function DeepCompressionView() {
  const res = useResource(loadAll, 'deep-compression');
  if (!res.value) {
    return (
      <div className="deep-compression-demo">
        <LoadProgress id="deep-compression-progress" what="the compressed networks, the shipped MLP and the test digits" progress={res.progress} />
      </div>
    );
  }
  return <Scored {...res.value} />;
}

function Scored({ shipped, dense, test }: Loaded) {
  const { values: p, set } = useDemoParams(deepCompressionParams);
  const stage = p.stage as CompressionMode;
  const count = Number(p.digits);
  const simulate = (q: ParamValues<typeof deepCompressionParams>): Simulation<ScoreFrame> => createDecodedScore(shipped.bytes[q.stage as CompressionMode], dense, test, Number(q.digits));
  const sim = useSimulation(simulate, p, { budget: 1000, autoplay: true, converged: (f) => f.scored >= f.total });
  const f = sim.frame;
  const rows = shipped.table.stages;
  const denseBytes = rows[0].bytes;
  return (
    <div className="deep-compression-demo">
      <ParamControls table={deepCompressionParams} values={p} onChange={set} />
      <Transport sim={sim} status={f ? `scored ${fmt(f.scored)} of ${fmt(f.total)} test digits` : ''} />
      {f && (
        <p className="plot-caption" data-accuracy={f.scored ? f.correct / f.scored : ''} style={{ fontSize: '0.9rem', color: 'var(--fg)' }}>
          Decoded {fmt(f.bytes)} bytes in {f.decodeMs.toFixed(0)} ms: a network with {formatPercent(f.sparsity, 2)} of its weights zero. On {fmt(f.scored)} test digits:{' '}
          <strong>decoded {f.scored ? formatPercent(f.correct / f.scored, 2) : '…'}</strong> · dense MLP {f.scored ? formatPercent(f.denseCorrect / f.scored, 2) : '…'} · the two disagree on{' '}
          {fmt(f.disagree)} digits.
        </p>
      )}
      <table className="stats">
        <caption>LeNet-300-100 after each stage: the shipped result (all 10,000 test digits) beside the paper&apos;s</caption>
        <thead>
          <tr>
            <th scope="col">stage</th>
            <th scope="col">weights kept</th>
            <th scope="col">bits per weight</th>
            <th scope="col">bytes</th>
            <th scope="col">ratio</th>
            <th scope="col">accuracy</th>
            <th scope="col">paper</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.stage} aria-current={r.stage === stage ? 'true' : undefined} style={r.stage === stage ? { fontWeight: 600 } : undefined}>
              <th scope="row">{PAPER[r.stage].what}</th>
              <td>{`${(100 * (1 - r.sparsity)).toFixed(1)}\u00a0%`}</td>
              <td>{Array.from(new Set(r.bits)).join(' / ')}</td>
              <td>{r.stage === 'dense' ? kb(r.bytes) : kb(shipped.bytes[r.stage as CompressionMode].length)}</td>
              <td data-ratio={(denseBytes / r.bytes).toFixed(2)}>{(denseBytes / r.bytes).toFixed(1)}×</td>
              <td>{formatPercent(r.accuracy, 2)}</td>
              <td>
                {PAPER[r.stage].size}
                {PAPER[r.stage].error ? `, error ${PAPER[r.stage].error}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
