'use client';
import { useState } from 'react';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useComputed } from '../ui/useLatest';
import { useReady, useShownCount } from '../ui/useReady';
import { useFrame } from '../ui/frame';
import { ParamControls } from '../ui/controls/ParamControls';
import { ALEXNET, fireModules, liveCheck, megabytes, plainCost, squeezenetCost, type Metaparameters } from './model';
import { squeezeParams } from './params';
import { formatInt } from '../ui/plots/scale';

const int = formatInt;
const mega = (n: number) => (n / 1e6).toFixed(n >= 1e8 ? 0 : 1);

/** SqueezeNet counted from its metaparameters, layer by layer, and built for real in tfjs. */
export default function SqueezenetView() {
  const { values: p, set } = useDemoParams(squeezeParams);
  const { backend } = useFrame();
  const meta: Metaparameters = { baseE: p.baseE, incrE: p.incrE, freq: 2, pct3x3: p.pct3x3, sr: p.sr };
  const cost = squeezenetCost(meta);
  const fires = fireModules(meta);
  // A rebuild on demand re-times the kernels; the count of finished builds is the frame count tests step by.
  const [runs, setRuns] = useState(0);
  const live = useComputed(async (q: Metaparameters & { build: boolean; runs: number }) => (q.build ? liveCheck(q) : null), { ...meta, build: p.build, runs });
  const drawn = useShownCount(live);
  useReady(!p.build || live !== null);
  const plain = fires.reduce((a, f, i) => a + plainCost(f, cost.layers[i + 1].side).params, 0);
  const fireParams = cost.layers.slice(1, 9).reduce((a, l) => a + l.params, 0);

  return (
    <div className="squeezenet-demo">
      <ParamControls table={squeezeParams} values={p} onChange={set} />
      <div className="toolbar" data-frames={drawn} data-running="0">
        <button type="button" data-action="step" disabled={!p.build} onClick={() => setRuns((n) => n + 1)}>
          Build and run again
        </button>
        <span className="status-line" data-testid="live">
          {!p.build
            ? 'not built'
            : live
              ? `built on ${backend}: ${int(live.params)} parameters${live.params === cost.params ? ' (= the count below)' : ` (the count says ${int(cost.params)})`}; weights initialised in ${live.buildMs.toFixed(0)} ms, one 64×64 image through it in ${live.forwardMs.toFixed(0)} ms`
              : `building on ${backend}…`}
        </span>
      </div>
      <table className="stats">
        <caption>
          SqueezeNet v1.0 with SR = {p.sr}, pct₃ₓ₃ = {p.pct3x3}, base_e = {p.baseE}, incr_e = {p.incrE}, freq = 2: a 224×224 RGB input, 1000 classes
        </caption>
        <thead>
          <tr>
            <th scope="col">layer</th>
            <th scope="col">output</th>
            <th scope="col">s / e₁ / e₃</th>
            <th scope="col">parameters</th>
            <th scope="col">mult-adds (M)</th>
          </tr>
        </thead>
        <tbody>
          {cost.layers.map((l, i) => {
            const f = i >= 1 && i <= 8 ? fires[i - 1] : null;
            return (
              <tr key={l.name}>
                <th scope="row">{l.name}</th>
                <td>
                  {l.side}²×{i === 0 ? 96 : f ? f.e1 + f.e3 : 1000}
                </td>
                <td>{f ? `${f.s} / ${f.e1} / ${f.e3}` : ''}</td>
                <td>{int(l.params)}</td>
                <td>{mega(l.macs)}</td>
              </tr>
            );
          })}
          <tr>
            <th scope="row">total</th>
            <td></td>
            <td></td>
            <td>{int(cost.params)}</td>
            <td>{mega(cost.macs)}</td>
          </tr>
        </tbody>
      </table>
      <p className="plot-caption">
        {megabytes(cost.params).toFixed(2)} MB of 32-bit weights, {(ALEXNET.mb / megabytes(cost.params)).toFixed(0)}× less than AlexNet&apos;s {ALEXNET.mb} MB. The eight
        fire modules hold {int(fireParams)} parameters; plain 3×3 convolutions with the same inputs and outputs would hold {int(plain)}, {(plain / fireParams).toFixed(1)}×
        as many.
      </p>
    </div>
  );
}
