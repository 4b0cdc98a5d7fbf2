'use client';
import { useEffect, useRef, useState } from 'react';
import type { ParamValues } from '../runtime/params';
import { floatImages } from '../runtime/data/loader';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useComputed } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { useTestDigits } from '../ui/digits/useTestDigits';
import { useThemeColors } from '../ui/plots/useTheme';
import { moduleCost, runModule, type ModuleCost, type ModuleSizes } from './model';
import { inceptionParams } from './params';
import { formatNumber } from '../ui/plots/scale';

type Values = ParamValues<typeof inceptionParams>;
const TILES = 16;
/** The live module caps every convolution at this many filters: the full 3a module is ~100 M multiply-adds, too slow for a frame on cpu. */
const LIVE_CAP = 32;
const cap = (n: number) => Math.min(n, LIVE_CAP);
const COLS = 8;

const sizesOf = (p: Values): ModuleSizes => ({ size: Number(p.size), cin: p.cin, n1: p.n1, r3: p.r3, n3: p.n3, r5: p.r5, n5: p.n5, pp: p.pp });
const fmt = formatNumber;
const mega = (x: number) => `${(x / 1e6).toFixed(x >= 1e8 ? 0 : 1)} M`;

/** Channel maps (values in [0, 1]) as a grid of tiles on a canvas, in the theme's text colour. */
function Tiles({ tiles, count, size, label }: { tiles: Float32Array; count: number; size: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { fg } = useThemeColors();
  const cols = Math.min(COLS, count);
  const rows = Math.ceil(count / cols);
  const gap = 2;
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const w = cols * (size + gap) - gap;
    const h = rows * (size + gap) - gap;
    c.width = w;
    c.height = h;
    const img = ctx.createImageData(w, h);
    const rgb = fg.startsWith('#') && fg.length === 7 ? [1, 3, 5].map((i) => parseInt(fg.slice(i, i + 2), 16)) : [20, 20, 20];
    for (let k = 0; k < count; k++) {
      const ox = (k % cols) * (size + gap);
      const oy = Math.floor(k / cols) * (size + gap);
      for (let i = 0; i < size * size; i++) {
        const at = 4 * ((oy + Math.floor(i / size)) * w + ox + (i % size));
        img.data[at] = rgb[0];
        img.data[at + 1] = rgb[1];
        img.data[at + 2] = rgb[2];
        // A faint floor shows each tile's extent; the response darkens it.
        img.data[at + 3] = 18 + Math.round(237 * tiles[k * size * size + i]);
      }
    }
    ctx.putImageData(img, 0, 0);
  }, [tiles, count, size, cols, rows, fg]);
  return <canvas ref={ref} role="img" aria-label={label} style={{ width: '100%', maxWidth: cols * 40, imageRendering: 'pixelated', display: 'block' }} />;
}

/** One row of the cost table per convolution, with and without reductions. */
function CostTable({ reduced, naive }: { reduced: ModuleCost; naive: ModuleCost }) {
  const rows = (c: ModuleCost, which: string) =>
    c.branches.flatMap((b) =>
      (b.convs.length ? b.convs : [null]).map((v, i) => (
        <tr key={`${which}-${b.name}-${i}`}>
          <td style={{ textAlign: 'left' }}>{v ? `${v.name} (${v.cin}→${v.cout})` : `${b.name}: max-pool passes ${b.out} channels`}</td>
          <td>{v ? fmt(v.weights) : 0}</td>
          <td>{v ? mega(v.macs) : '–'}</td>
        </tr>
      )),
    );
  return (
    <div className="plots">
      {[
        ['With 1×1 reductions (Figure 2b)', reduced],
        ['Naive, without reductions (Figure 2a)', naive],
      ].map(([title, c]) => (
        <table className="stats" key={title as string}>
          <caption>{title as string}</caption>
          <thead>
            <tr>
              <th>convolution</th>
              <th>weights</th>
              <th>multiply-adds</th>
            </tr>
          </thead>
          <tbody>{rows(c as ModuleCost, title as string)}</tbody>
          <tfoot>
            <tr>
              <th>total, {(c as ModuleCost).out} channels out</th>
              <th>{fmt((c as ModuleCost).weights)}</th>
              <th>{mega((c as ModuleCost).macs)}</th>
            </tr>
          </tfoot>
        </table>
      ))}
    </div>
  );
}

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
  const [frames, setFrames] = useState(0);
  useEffect(() => {
    if (run) setFrames((f) => f + 1);
  }, [run]);
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
