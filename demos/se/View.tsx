'use client';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { tf } from '../runtime/tf';
import { floatImages } from '../runtime/data/loader';
import { loadModel, loadModelManifest, MODELS_BASE_URL, type LoadedModel, type ModelManifest } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useResource } from '../ui/useResource';
import { useComputed, useLatest } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { Chart } from '../ui/plots/Chart';
import { MapImage } from '../ui/plots/MapImage';
import { SERIES } from '../ui/plots/palette';
import { DigitInput, type DigitMeta } from '../ui/digits/DigitInput';
import { useDigitParams } from '../ui/digits/useDigitParams';
import { classExcitations, CNN_SE_STAGES, exciteDigits, rankChannels, RESNET50, RESNET50_STAGES, SE_BLOCKS, seCost, type ExciteResult } from './model';
import { digitParams, seParams } from './params';

/** Test digits whose excitations are averaged per class (Fig. 6 in miniature). */
const CLASS_DIGITS = 1000;
const int = (n: number) => Math.round(n).toLocaleString('en');
const pct = (x: number) => `${(100 * x).toFixed(2)}\u00a0%`;

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

/** Bars of one digit's excitations, channels sorted by s_c, with the mean over all test digits as ticks. */
function ExcitationBars({ s, overall, order }: { s: Float32Array; overall: Float32Array | null; order: number[] }) {
  const w = 640;
  const h = 150;
  const pad = { l: 30, b: 18, t: 6 };
  const bw = (w - pad.l) / order.length;
  const y = (v: number) => pad.t + (1 - v) * (h - pad.t - pad.b);
  return (
    <svg className="plot" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`Excitations s_c of the ${order.length} channels, largest first`} data-channels={order.length}>
      {[0, 0.5, 1].map((v) => (
        <g key={v}>
          <line x1={pad.l} x2={w} y1={y(v)} y2={y(v)} stroke="var(--line)" />
          <text x={pad.l - 4} y={y(v) + 4} fontSize="11" textAnchor="end" fill="var(--muted)">
            {v}
          </text>
        </g>
      ))}
      {order.map((c, i) => {
        const x = pad.l + i * bw;
        return (
          <g key={c} data-channel={c} data-s={s[c].toFixed(4)}>
            <rect x={x + 1} y={y(s[c])} width={Math.max(1, bw - 2)} height={y(0) - y(s[c])} fill={SERIES[0]} opacity={0.85} />
            {overall && <line x1={x} x2={x + bw} y1={y(overall[c])} y2={y(overall[c])} stroke="var(--fg)" strokeWidth={2} />}
            <text x={x + bw / 2} y={h - 5} fontSize="9" textAnchor="middle" fill="var(--muted)">
              {c}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A live SE block on a digit: its excitations, the maps before and after rescaling, per-class means and the cost. */
export default function SeView() {
  const { values: p, set } = useDemoParams(seParams);
  const digitIn = useDigitParams(digitParams, true);
  const nets = useResource<Nets>(loadNets, 'cnn-se', disposeNets);
  const model = nets.value?.se.model ?? null;
  const run = useCallback((input: Float32Array): Promise<ExciteResult> => exciteDigits(model as tf.LayersModel, input, { maps: true }), [model]);
  const latest = useLatest(model ? run : null);
  const { submit, clear } = latest;
  const { digit } = digitIn;
  useEffect(() => {
    if (digit) submit(digit.input);
    else clear();
  }, [digit, submit, clear]);
  const r = latest.result;
  useReady(r !== null);

  // The first 1,000 test digits through the network once: mean excitation per class and block. After the
  // reader's digit has its answer, so that the first result does not queue behind this pass.
  const test = digitIn.test.kind === 'ready' ? digitIn.test.data : null;
  const classes = useComputed(
    async (q: { ready: boolean }) => {
      if (!q.ready || !model || !test) return null;
      const n = Math.min(CLASS_DIGITS, test.count);
      const res = await exciteDigits(model, floatImages(test, 0, n));
      const labels = test.labels.subarray(0, n);
      let correct = 0;
      for (let i = 0; i < n; i++) {
        const row = res.probs.subarray(i * 10, i * 10 + 10);
        if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
      }
      return { n, correct, blocks: res.blocks.map((b) => classExcitations(b.s, labels, b.info.channels)) };
    },
    { ready: model !== null && test !== null && r !== null },
  );

  const bi = p.block === 'se1' ? 0 : 1;
  const info = SE_BLOCKS[bi];
  const block = r?.blocks[bi] ?? null;
  const order = useMemo(() => (block ? rankChannels(block.s) : []), [block]);
  const cls = classes?.blocks[bi] ?? null;
  const predicted = r ? Array.from(r.probs).indexOf(Math.max(...r.probs)) : -1;
  const rr = Number(p.r);
  const ours = seCost(CNN_SE_STAGES, rr);
  const res50 = seCost(RESNET50_STAGES, rr);
  const side = info.side;
  const zoom = side > 20 ? 2 : 4;
  const top = block?.u ? block.u.reduce((a, v) => Math.max(a, v), 0) : 1;
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
              ? `The network says ${predicted} (${pct(r.probs[predicted])})${latest.input && digit?.meta.label !== undefined ? `, label ${digit.meta.label}` : ''}.`
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
            suppressed (channel numbers below). The black tick is the channel&apos;s mean over {CLASS_DIGITS.toLocaleString('en')} test digits: a bar
            above its tick is a channel this digit keeps more than usual. A gate never amplifies: s<sub>c</sub> &lt; 1 always, so &quot;boost&quot; means &quot;kept more than usual&quot;.
          </figcaption>
        </figure>
      </div>
      <p className="demo-sub">The maps u<sub>c</sub> before (top) and s<sub>c</sub>·u<sub>c</sub> after rescaling (bottom), most kept first</p>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.5rem' }} data-maps={block?.u ? order.length : 0}>
        {(block?.u ? order : []).map((c) => (
          <div key={c} style={{ display: 'grid', gap: 2, justifyItems: 'center', fontSize: '0.75rem' }}>
            <MapImage values={block!.u!} width={side} height={side} zoom={zoom} channel={c} channels={info.channels} scale={top} label={`Map ${c} before rescaling`} />
            <MapImage values={scaled(block!.u!, block!.s[c], c, info.channels)} width={side} height={side} zoom={zoom} scale={top} label={`Map ${c} times ${block!.s[c].toFixed(2)}`} />
            <span>
              #{c}: {block!.s[c].toFixed(2)}
            </span>
          </div>
        ))}
      </div>
      <Chart
        label={`Mean excitation per class over the first ${CLASS_DIGITS.toLocaleString('en')} test digits, ${info.name === 'se1' ? 'block 1' : 'block 2'} (Hu et al.'s Fig. 6 in miniature)`}
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
      <table className="stats" data-r={rr}>
        <thead>
          <tr>
            <th scope="col">SE blocks with r = {rr}</th>
            <th scope="col">(2/r) Σ N C²</th>
            <th scope="col">exact, with biases</th>
            <th scope="col">share of the network</th>
            <th scope="col">extra multiply-adds</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">cnn-se (this demo, C = 16, 32)</th>
            <td>{int(ours.formula)}</td>
            <td>{int(ours.params)}</td>
            <td>{nets.value ? `+${((100 * ours.params) / nets.value.plain.params).toFixed(1)} % of ${int(nets.value.plain.params)}` : '…'}</td>
            <td>{int(ours.macs)}</td>
          </tr>
          <tr>
            <th scope="row">SE-ResNet-50 (N = 3, 4, 6, 3)</th>
            <td>{int(res50.formula)}</td>
            <td>{int(res50.params)}</td>
            <td>+{((100 * res50.params) / RESNET50.params).toFixed(1)} % of {int(RESNET50.params)}</td>
            <td>{`${(res50.macs / 1e9).toFixed(4)} G (+${((100 * res50.macs) / RESNET50.macs).toFixed(2)} %)`}</td>
          </tr>
        </tbody>
      </table>
      {nets.value && (
        <p className="plot-caption">
          Test accuracy on all 10,000 MNIST test digits, trained by the same seeded script and recipe: with SE blocks (r = 4){' '}
          {pct(nets.value.se.manifest.test.accuracy)}, {int(nets.value.se.manifest.params)} parameters; without (inv-pool){' '}
          {pct(nets.value.plain.test.accuracy)}, {int(nets.value.plain.params)} parameters.
        </p>
      )}
    </div>
  );
}

/** Channel c of interleaved maps u (side² × C) times s: the map after rescaling. */
function scaled(u: Float32Array, s: number, c: number, channels: number): Float32Array {
  const out = new Float32Array(u.length / channels);
  for (let i = 0; i < out.length; i++) out[i] = s * u[i * channels + c];
  return out;
}
