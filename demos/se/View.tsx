'use client';
import { useCallback, useMemo } from 'react';
import type { tf } from '../runtime/tf';
import { loadModel, loadModelManifest, MODELS_BASE_URL, type LoadedModel, type ModelManifest } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useResource } from '../ui/useResource';
import { useComputed, useLatestOf } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { DigitInput } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { classSurvey, exciteDigits, rankChannels, SE_BLOCKS, type ExciteResult } from './model';
import { CostTable, ExcitationBars, MapPairs } from './Panels';
import { digitParams, seParams } from './params';
import { formatInt, formatNumber, formatPercent } from '../ui/plots/scale';

/** Test digits whose excitations are averaged per class (Fig. 6 in miniature). */
const CLASS_DIGITS = 1000;
const int = formatInt;

interface Nets {
  se: LoadedModel;
  /** The same network without SE blocks, for its measured accuracy only. */
  plain: ModelManifest;
}
async function loadNets(signal: AbortSignal, onProgress: (f: number) => void): Promise<Nets> {
  const [se, plain] = await Promise.all([
    loadModel('cnn-se', { baseUrl: MODELS_BASE_URL, signal, onProgress }),
    loadModelManifest('inv-pool', { baseUrl: MODELS_BASE_URL, signal }),
  ]);
  return { se, plain };
}
const disposeNets = (n: Nets) => n.se.model.dispose();

/** A live SE block on a digit: its excitations, the maps before and after rescaling, per-class means and the cost. */
export default function SeView() {
  const { values: p, set } = useDemoParams(seParams);
  const digitIn = useDigitParams(digitParams, true);
  const nets = useResource<Nets>(loadNets, 'cnn-se', disposeNets);
  const model = nets.value?.se.model ?? null;
  const run = useCallback((input: Float32Array): Promise<ExciteResult> => exciteDigits(model as tf.LayersModel, input, { maps: true }), [model]);
  const { digit } = digitIn;
  const latest = useLatestOf(model ? run : null, digit?.input ?? null);
  const r = latest.result;
  useReady(r !== null);

  // The first 1,000 test digits through the network once: mean excitation per class and block. After the
  // reader's digit has its answer, so that the first result does not queue behind this pass.
  const test = digitIn.test.kind === 'ready' ? digitIn.test.data : null;
  const classes = useComputed(
    async (q: { ready: boolean }) => (q.ready && model && test ? classSurvey(model, test, CLASS_DIGITS) : null),
    { ready: model !== null && test !== null && r !== null },
  );

  const bi = p.block === 'se1' ? 0 : 1;
  const info = SE_BLOCKS[bi];
  const block = r?.blocks[bi] ?? null;
  const order = useMemo(() => (block ? rankChannels(block.s) : []), [block]);
  const cls = classes?.blocks[bi] ?? null;
  const predicted = r ? Array.from(r.probs).indexOf(Math.max(...r.probs)) : -1;
  const rr = Number(p.r);
  const channelIndex = Array.from({ length: info.channels }, (_, c) => c);

  return (
    <div className="se-demo">
      <div className="toolbar" data-frames={latest.count} data-running="0">
        <button type="button" data-action="step" onClick={digitIn.next}>
          Next test digit
        </button>
        <span className="status-line" aria-live="polite">
          {model
            ? r
              ? `The network says ${predicted} (${formatPercent(r.probs[predicted], 2)})${latest.input && digit?.meta.label !== undefined ? `, label ${digit.meta.label}` : ''}.`
              : 'Running…'
            : `Loading cnn-se… ${Math.round(100 * nets.progress)} %`}
        </span>
      </div>
      <ParamControls table={seParams} values={p} onChange={set} only={['block']} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '1rem 1.5rem', alignItems: 'start' }}>
        <DigitInput {...digitIn.props} />
        <figure style={{ margin: 0, minWidth: 0 }}>
          <ExcitationBars s={block?.s ?? new Float32Array(info.channels)} overall={cls?.overall ?? null} order={order.length ? order : channelIndex} />
          <figcaption className="plot-caption">
            Excitations s<sub>c</sub> of {info.name === 'se1' ? 'block 1' : 'block 2'} for this digit, channels sorted from most kept to most
            suppressed (channel numbers below). The black tick is the channel&apos;s mean over {formatNumber(CLASS_DIGITS)} test digits: a bar
            above its tick is a channel this digit keeps more than usual. A gate never amplifies: s<sub>c</sub> &lt; 1 always, so &quot;boost&quot; means &quot;kept more than usual&quot;.
          </figcaption>
        </figure>
      </div>
      <p className="demo-sub">The maps u<sub>c</sub> before (top) and s<sub>c</sub>·u<sub>c</sub> after rescaling (bottom), most kept first</p>
      <MapPairs block={block} order={order} />
      <Chart
        label={`Mean excitation per class over the first ${formatNumber(CLASS_DIGITS)} test digits, ${info.name === 'se1' ? 'block 1' : 'block 2'} (Hu et al.'s Fig. 6 in miniature)`}
        height={220}
        x={channelIndex}
        xLabel="channel"
        yLabel="mean s_c"
        yMin={0}
        yMax={1}
        series={Array.from({ length: 10 }, (_, k) => ({ label: `digit ${k}`, color: SERIES[k], values: cls ? Array.from(cls.mean.subarray(k * info.channels, (k + 1) * info.channels)) : [] }))}
      />
      <p className="plot-caption" data-spread={classes ? classes.blocks.map((b) => b.classSpread.toFixed(4)).join(' ') : undefined}>
        {classes
          ? `How much the excitations depend on the class (standard deviation across the ten class means, averaged over channels): block 1 ${classes.blocks[0].classSpread.toFixed(3)}, block 2 ${classes.blocks[1].classSpread.toFixed(3)}. cnn-se gets ${classes.correct} of these ${classes.n} digits right.`
          : 'Running the first 1,000 test digits…'}
      </p>
      <ParamControls table={seParams} values={p} onChange={set} only={['r']} />
      <CostTable rr={rr} plainParams={nets.value?.plain.params ?? null} />
      {nets.value && (
        <p className="plot-caption">
          Test accuracy on all 10,000 MNIST test digits, trained by the same seeded script and recipe: with SE blocks (r = 4){' '}
          {formatPercent(nets.value.se.manifest.test.accuracy, 2)}, {int(nets.value.se.manifest.params)} parameters; without (inv-pool){' '}
          {formatPercent(nets.value.plain.test.accuracy, 2)}, {int(nets.value.plain.params)} parameters.
        </p>
      )}
    </div>
  );
}

