'use client';
import type { ParamValues } from '../runtime/params';
import { floatImages } from '../runtime/data/loader';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useComputed } from '../ui/useLatest';
import { useReady, useShownCount } from '../ui/useReady';
import { useTestDigits } from '../ui/digits/useTestDigits';
import { formatNumber } from '../ui/plots/scale';
import { moduleCost, runModule, type ModuleSizes } from './model';
import { inceptionParams } from './params';
import { CostTable, Tiles } from './Panels';

type Values = ParamValues<typeof inceptionParams>;
const TILES = 16;
/** The live module caps every convolution at this many filters: the full 3a module is ~100 M multiply-adds, too slow for a frame on cpu. */
const LIVE_CAP = 32;
const cap = (n: number) => Math.min(n, LIVE_CAP);

const sizesOf = (p: Values): ModuleSizes => ({ size: Number(p.size), cin: p.cin, n1: p.n1, r3: p.r3, n3: p.n3, r5: p.r5, n5: p.n5, pp: p.pp });
const fmt = formatNumber;

/** The cost of an inception module with and without its 1×1 reductions, and a live module's four branches on a digit. */
export default function InceptionView() {
  const { values: p, set } = useDemoParams(inceptionParams);
  const sizes = sizesOf(p);
  const reduced = moduleCost(sizes, true);
  const naive = moduleCost(sizes, false);
  const digits = useTestDigits(true);
  const data = digits.kind === 'ready' ? digits.data : null;
  const index = data ? Math.min(p.digit, data.count - 1) : 0;
  const run = useComputed(
    async (q: { ready: boolean; index: number; seed: number; n1: number; r3: number; n3: number; r5: number; n5: number; pp: number }) =>
      q.ready && data ? runModule(floatImages(data, q.index, q.index + 1), { ...sizes, n1: cap(q.n1), r3: cap(q.r3), n3: cap(q.n3), r5: cap(q.r5), n5: cap(q.n5), pp: cap(q.pp) }, q.seed, TILES) : null,
    { ready: data !== null, index, seed: p.seed, n1: p.n1, r3: p.r3, n3: p.n3, r5: p.r5, n5: p.n5, pp: p.pp },
  );
  const frames = useShownCount(run);
  useReady(run !== null);

  return (
    <div className="inception-demo">
      <ParamControls table={inceptionParams} values={p} onChange={set} />
      <CostTable reduced={reduced} naive={naive} />
      <p className="plot-caption">
        The reductions cut the module’s multiply-adds by a factor {(naive.macs / reduced.macs).toFixed(2)} and its weights by {(naive.weights / reduced.weights).toFixed(2)}, and its output from {naive.out} to {reduced.out}{' '}
        channels (biases, one per filter, add {fmt(reduced.biases)} with reductions).
      </p>
      <div className="toolbar" data-frames={frames} data-running="0">
        <button type="button" data-action="step" onClick={() => set('digit', (p.digit + 1) % 5000)}>
          Next digit
        </button>
        <span>
          {data ? `Test digit ${index}, label ${data.labels[index]}` : digits.kind === 'error' ? digits.message : 'loading MNIST test digits…'}
        </span>
      </div>
      {run && (
        <>
          <div className="plots">
            <figure style={{ margin: 0 }}>
              <Tiles tiles={run.input} count={1} size={run.size} label="the input digit" />
              <figcaption className="plot-caption">Input digit (8 fixed edge filters make the module’s 8 input channels)</figcaption>
            </figure>
            {run.branches.map((b) => (
              <figure key={b.name} style={{ margin: 0 }}>
                <Tiles tiles={b.tiles} count={b.shown} size={run.size} label={`${b.name} branch: the first ${b.shown} of its ${b.channels} channels`} />
                <figcaption className="plot-caption">
                  {b.name} branch: {b.shown < b.channels ? `first ${b.shown} of ` : ''}
                  {b.channels} channels
                </figcaption>
              </figure>
            ))}
          </div>
          <p className="plot-caption">
            tf.concat stacks the four branches into one 28×28×{run.outChannels} map, the next module’s input. To stay quick in the browser the live module caps every
            convolution at {LIVE_CAP} filters. Each tile is one channel after its ReLU, scaled by its own maximum; the weights are random (He-normal, seeded), so the maps show
            what each branch can see, not what a trained GoogLeNet learned.
          </p>
        </>
      )}
    </div>
  );
}
