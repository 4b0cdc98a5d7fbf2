'use client';
import type { tf } from '../runtime/tf';
import type { MnistArrays } from '../runtime/data/idx';
import { floatImages, loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadModel, MODELS_BASE_URL, type LoadedModel } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { LoadProgress, progressParts } from '../ui/controls/LoadProgress';
import { MapImage } from '../ui/plots/MapImage';
import { createTowerWalk, digitMaps, towerCounts, type TowerFrame } from './model';
import { xceptionParams } from './params';
import { formatInt } from '../ui/plots/scale';

const DIGITS = 100;

interface Loaded {
  cnn: LoadedModel;
  test: MnistArrays;
}

async function loadAll(signal: AbortSignal, onProgress: (f: number) => void): Promise<Loaded> {
  const report = progressParts(2, onProgress);
  const [cnn, test] = await Promise.all([
    loadModel('cnn', { baseUrl: MODELS_BASE_URL, signal, onProgress: report(0) }),
    loadMnist({ split: 'test', count: DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: report(1).bytes }),
  ]);
  return { cnn, test };
}

const int = formatInt;

/** An Inception-style module with k towers walked from k = 1 to k = C, where it is a depthwise separable convolution. */
export default function XceptionView() {
  const res = useResource(loadAll, 'cnn+test', (v) => v.cnn.model.dispose());
  if (!res.value) {
    return (
      <div className="xception-demo">
        <LoadProgress id="xception-progress" what={`the shipped CNN's first layer and ${DIGITS} test digits`} progress={res.progress} />
      </div>
    );
  }
  return <Walk {...res.value} />;
}

/** The walk owns the digit's maps: made with the module, freed with it. */
function createWalk(conv1: tf.Tensor[], test: MnistArrays, digit: number, seed: number) {
  const maps = digitMaps(floatImages(test, digit, digit + 1), conv1[0] as tf.Tensor4D, conv1[1] as tf.Tensor1D);
  const walk = createTowerWalk(maps, seed);
  return {
    step: (k: number) => walk.step(k),
    dispose() {
      walk.dispose();
      maps.dispose();
    },
  };
}

function Walk({ cnn, test }: Loaded) {
  const { values: p, set } = useDemoParams(xceptionParams);
  const conv1 = cnn.model.getLayer('conv1').getWeights();
  const channels = conv1[1].shape[0];
  const ks = towerCounts(channels);
  const sim = useSimulation((q: typeof p) => createWalk(conv1, test, q.digit, q.seed), p, { budget: ks.length - 1, autoplay: true, pace: { max: 1 }, converged: (f: TowerFrame) => f.done });
  const f = sim.frame;
  const k = f ? f.rows[f.rows.length - 1].towers : 1;
  const [h, w, c] = f?.shape ?? [12, 12, channels];
  return (
    <div className="xception-demo">
      <ParamControls table={xceptionParams} values={p} onChange={set} />
      <Transport sim={sim} status={f ? `k = ${k} tower${k > 1 ? 's' : ''} of ${c / k} channel${c / k > 1 ? 's' : ''} each${f.done ? ': a depthwise separable convolution' : ''}` : ''} />
      <figure style={{ margin: 0 }}>
        <MapImage values={floatImages(test, p.digit, p.digit + 1)} width={28} height={28} zoom={3} label={`test digit ${p.digit}, labelled ${test.labels[p.digit]}`} caption={`test digit #${p.digit} (a ${test.labels[p.digit]})`} />
      </figure>
      {f && (
        <>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.75rem', alignItems: 'flex-start' }}>
            <MapImage values={f.links} width={c} height={c} zoom={6} label={`which of the ${c} channels after the 1×1 convolution feed which output of the 3×3 stage`} caption="3×3 stage: inputs (rows) → outputs" />
            <div style={{ display: 'grid', gridTemplateColumns: `repeat(${Math.min(8, c)}, auto)`, gap: 4 }} aria-label={`the module's ${c} output maps at k = ${k}`}>
              {Array.from({ length: c }, (_, ch) => (
                <MapImage key={ch} values={f.output} width={w} height={h} zoom={3} channel={ch} channels={c} label={`output channel ${ch}`} />
              ))}
            </div>
          </div>
          <table className="stats" data-testid="towers">
            <caption>
              The module on this digit&apos;s {h}×{w}×{c} conv1 maps (1×1 convolution {c}→{c}, then k towers of 3×3), weights without biases and multiply-adds
            </caption>
            <thead>
              <tr>
                <th scope="col">towers k</th>
                <th scope="col">channels per tower</th>
                <th scope="col">weights</th>
                <th scope="col">multiply-adds</th>
                <th scope="col">in the 3×3 convolutions</th>
                <th scope="col">output changed</th>
              </tr>
            </thead>
            <tbody>
              {f.rows.map((r) => (
                <tr key={r.towers}>
                  <th scope="row">
                    {r.towers}
                    {r.towers === 1 ? ' (regular 3×3)' : r.towers === c ? ' (depthwise)' : ''}
                  </th>
                  <td>{r.perTower}</td>
                  <td>{int(r.params)}</td>
                  <td>{int(r.macs)}</td>
                  <td>{(100 * r.spatialShare).toFixed(1)} %</td>
                  <td>{Number.isFinite(r.change) ? `${(100 * r.change).toFixed(0)} %` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="plot-caption" data-gap={f.separableGap ?? ''}>
            {f.separableGap === null
              ? `Each step splits every tower in two: the 3×3 kernels keep only the connections within a tower, cut from the same full kernel.`
              : `At k = C = ${c}: the largest difference between the module and a pointwise 1×1 then a depthwise 3×3 convolution (tf.depthwiseConv2d) with the same weights is ${f.separableGap.toExponential(1)}, float rounding: they are one operation.`}
          </p>
        </>
      )}
    </div>
  );
}
