'use client';
import { useMemo } from 'react';
import type { ParamValues } from '../runtime/params';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useComputed } from '../ui/useLatest';
import { useReady, useShownCount } from '../ui/useReady';
import { ParamControls } from '../ui/controls/ParamControls';
import { MapImage } from '../ui/plots/MapImage';
import { buildStack, effectiveField, measureSize, nonlinearities, PRESETS, receptiveFields, stackParams, type LayerSpec, type PresetName } from './model';
import { fieldParams } from './params';
import { formatNumber } from '../ui/plots/scale';

type Values = ParamValues<typeof fieldParams>;
const int = formatNumber;

function stackOf(p: Values): LayerSpec[] {
  if (p.stack === 'custom') return buildStack({ kernel: p.kernel, layers: p.layers, dilation: p.dilation, poolEvery: p.poolEvery });
  return PRESETS[p.stack as PresetName].layers;
}
const describeLayer = (l: LayerSpec) =>
  l.kind === 'pool' ? `max-pool ${l.kernel}×${l.kernel}, stride ${l.stride}` : `conv ${l.kernel}×${l.kernel}${l.dilation > 1 ? `, dilation ${l.dilation}` : ''}`;

/** Receptive fields of stacked convolutions: the theoretical square, the parameters, and the measured effective field. */
export default function VggView() {
  const { values: p, set } = useDemoParams(fieldParams);
  const layers = useMemo(() => stackOf(p), [p]);
  const fields = receptiveFields(layers);
  const field = fields.at(-1)!.field;
  const C = p.channels;
  const params = stackParams(layers, C, false);
  const single = C * C * field * field;
  const measured = useComputed(
    async (q: { layers: LayerSpec[]; weights: string; seed: number }) =>
      effectiveField(q.layers, { weights: q.weights === 'uniform' ? 'uniform' : 'random', relu: q.weights !== 'uniform', seed: q.seed, ...measureSize(q.layers) }),
    { layers, weights: p.weights, seed: p.seed },
  );
  useReady(measured !== null);
  const drawn = useShownCount(measured);
  const e = measured;
  const size = measureSize(layers);
  const custom = p.stack === 'custom';

  return (
    <div className="vgg-demo">
      <ParamControls table={fieldParams} values={p} onChange={set} only={['stack', 'weights', 'channels']} />
      {custom && <ParamControls table={fieldParams} values={p} onChange={set} only={['kernel', 'layers', 'dilation', 'poolEvery']} />}
      <div className="toolbar" data-frames={drawn} data-running="0">
        <button type="button" data-action="step" onClick={() => set('seed', p.seed >= fieldParams.seed.max ? 1 : p.seed + 1)}>
          New random weights and inputs
        </button>
        <span className="status-line">seed {p.seed}</span>
      </div>
      <div className="plots">
        <div>
          {e ? (
            <div style={{ position: 'relative', width: 'fit-content', maxWidth: '100%' }}>
              <MapImage
                values={e.values}
                width={e.side}
                height={e.side}
                zoom={320 / e.side}
                label={`Effective receptive field of the centre unit: |∂y/∂x| over a ${e.side}×${e.side} input`}
              />
              <div
                aria-hidden="true"
                style={{
                  position: 'absolute',
                  left: `${(100 * e.box.x) / e.side}%`,
                  top: `${(100 * e.box.y) / e.side}%`,
                  width: `${(100 * e.box.size) / e.side}%`,
                  height: `${(100 * e.box.size) / e.side}%`,
                  outline: '2px dashed var(--accent)',
                  pointerEvents: 'none',
                }}
              />
            </div>
          ) : (
            <p className="status-line">computing…</p>
          )}
          {e && (
            <p className="plot-caption">
              |∂y/∂x| for the centre unit y, averaged over {size.batch} random input{size.batch === 1 ? '' : 's'}, through real tfjs convolutions ({p.weights === 'uniform' ? 'all weights equal, no ReLU' : `He-random weights, ${size.channels} channel${size.channels === 1 ? '' : 's'}, ReLU`}).
              Dashed: the theoretical field, {field}×{field}. The central {e.centralSide}×{e.centralSide} ({Math.round((100 * e.centralSide ** 2) / field ** 2)} % of the field&apos;s area) holds{' '}
              {Math.round(100 * e.centralShare)} % of the gradient{e.box.size < field ? `; the field is cut at the ${e.side}-pixel input's edges` : ''}.
            </p>
          )}
        </div>
        <div style={{ minWidth: 0 }}>
          <table className="stats">
            <caption>Receptive field after each layer</caption>
            <thead>
              <tr>
                <th scope="col">layer</th>
                <th scope="col">field</th>
                <th scope="col">jump</th>
              </tr>
            </thead>
            <tbody>
              {layers.map((l, i) => (
                <tr key={i}>
                  <th scope="row" style={{ textAlign: 'left', fontWeight: 'normal' }}>
                    {i + 1}. {describeLayer(l)}
                  </th>
                  <td>{fields[i].field}</td>
                  <td>{fields[i].jump}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="plot-caption">
            {nonlinearities(layers)} convolution{nonlinearities(layers) === 1 ? '' : 's'} with {C} → {C} channels: {int(params)} weights and {nonlinearities(layers)} ReLU
            {nonlinearities(layers) === 1 ? '' : 's'}. One {field}×{field} convolution with the same field: {int(single)} weights and one ReLU (
            {(single / params).toFixed(single / params >= 10 ? 0 : 2)}×).
          </p>
        </div>
      </div>
    </div>
  );
}
