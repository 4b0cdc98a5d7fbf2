'use client';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadFlatModel, MODELS_BASE_URL } from '../runtime/data/models';
import type { Scene } from '../runtime/data/scenes';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { TrainingSection } from '../ui/controls/TrainingSection';
import { useResource } from '../ui/useResource';
import { useComputed, useLatest } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { useJob, useJobRun } from '../ui/useJob';
import { Chart } from '../ui/plots/Chart';
import { CATEGORICAL, SERIES } from '../ui/plots/palette';
import { useThemeColors } from '../ui/plots/useTheme';
import {
  connectivity,
  feeders,
  geometryProblem,
  heldOutScenes,
  outputSize,
  parameterCount,
  SCENE,
  scoreMasks,
  segment,
  VIS_IN,
  type SegmentationScore,
  type Connectivity,
  type ConvGeometry,
  type ConvKind,
} from './model';
import { HELD_OUT, SHIPPED, TEST_DIGITS, TRAIN_DIGITS, type TrainInput, type TrainProgress } from './train';
import { convParams, unetParams } from './params';

const PER_PAGE = 4;
const CLASS_NAMES = ['background', ...Array.from({ length: 10 }, (_, d) => `digit ${d}`)];

// ───────────────────────────── the convolution visualiser ─────────────────────────────

/** A grid of pixels on a canvas: each cell filled by `fill(i)`, optionally numbered, clickable. */
function PixelGrid({ side, cell, fill, label, text, outline, onPick, ariaLabel }: {
  side: number;
  cell: number;
  fill: (i: number) => string;
  label?: (i: number) => string | null;
  text: string;
  outline: number | null;
  onPick?: (col: number, row: number) => void;
  ariaLabel: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  const px = side * cell + 1;
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, px, px);
    ctx.font = `${Math.max(8, Math.floor(cell * 0.5))}px ${colors.font}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let i = 0; i < side * side; i++) {
      const x = (i % side) * cell;
      const y = Math.floor(i / side) * cell;
      ctx.fillStyle = fill(i);
      ctx.fillRect(x, y, cell, cell);
      ctx.strokeStyle = colors.line;
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, cell, cell);
      const t = label?.(i);
      if (t && cell >= 12) {
        ctx.fillStyle = colors.fg;
        ctx.fillText(t, x + cell / 2, y + cell / 2 + 0.5);
      }
    }
    if (outline !== null) {
      ctx.strokeStyle = SERIES[1];
      ctx.lineWidth = 3;
      ctx.strokeRect((outline % side) * cell + 1.5, Math.floor(outline / side) * cell + 1.5, cell - 2, cell - 2);
    }
  }, [side, cell, fill, label, outline, colors, px]);
  return (
    <figure style={{ margin: 0 }}>
      <canvas
        ref={ref}
        width={px}
        height={px}
        role="img"
        aria-label={ariaLabel}
        onClick={(e) => {
          if (!onPick) return;
          const r = e.currentTarget.getBoundingClientRect();
          const k = px / r.width;
          const col = Math.floor(((e.clientX - r.left) * k) / cell);
          const row = Math.floor(((e.clientY - r.top) * k) / cell);
          if (col >= 0 && row >= 0 && col < side && row < side) onPick(col, row);
        }}
        style={{ display: 'block', width: '100%', maxWidth: px, cursor: onPick ? 'crosshair' : undefined, imageRendering: 'pixelated' }}
      />
      <figcaption className="plot-caption">{text}</figcaption>
    </figure>
  );
}

function ConvPanel({ g, conn, pick, onPick }: { g: ConvGeometry; conn: Connectivity; pick: [number, number]; onPick: (col: number, row: number) => void }) {
  const colors = useThemeColors();
  const out = conn.outSize;
  const [col, row] = [Math.min(pick[0], out - 1), Math.min(pick[1], out - 1)];
  const fed = useMemo(() => new Set(feeders(conn, row, col)), [conn, row, col]);
  const max = useMemo(() => Math.max(1, ...conn.counts), [conn]);
  const min = useMemo(() => Math.min(...conn.counts), [conn]);
  const inCell = Math.floor(288 / g.inSize);
  const outCell = Math.max(7, Math.floor(288 / out));
  const inFill = useMemo(() => (i: number) => (fed.has(i) ? SERIES[1] : colors.bg), [fed, colors]);
  const shade = (v: number) => {
    const t = v / max;
    const a = colors.dark ? 0.15 + 0.7 * t : 0.1 + 0.75 * t;
    return `rgba(0, 114, 178, ${v === 0 ? 0 : a.toFixed(3)})`;
  };
  const outFill = useMemo(() => (i: number) => shade(conn.counts[i]), [conn, max, colors]);
  const outLabel = useMemo(() => (i: number) => String(conn.counts[i]), [conn]);
  const what = g.kind === 'transposed' ? 'transposed convolution' : 'dilated convolution';
  return (
    <div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(12rem, 1fr))', gap: '0.6rem 1rem', alignItems: 'start', maxWidth: '40rem' }}>
        <PixelGrid
          side={g.inSize}
          cell={inCell}
          fill={inFill}
          text={`Input ${g.inSize}×${g.inSize}: the ${fed.size} pixel${fed.size === 1 ? '' : 's'} feeding the picked output pixel`}
          outline={null}
          ariaLabel={`Input of ${g.inSize} by ${g.inSize} pixels; ${fed.size} of them feed output pixel column ${col}, row ${row}`}
        />
        <PixelGrid
          side={out}
          cell={outCell}
          fill={outFill}
          label={outLabel}
          text={`Output ${out}×${out}: how many input pixels reach each pixel (${min === max ? `all ${max}` : `from ${min} to ${max}`}); click to pick`}
          outline={row * out + col}
          onPick={onPick}
          ariaLabel={`Output of the ${what}, ${out} by ${out} pixels, shaded by how many input pixels reach each; picked column ${col}, row ${row}`}
        />
      </div>
    </div>
  );
}

// ───────────────────────────── the U-Net ─────────────────────────────

/** A digit class's colour in a mask (class 1 + d is digit d). */
const classColor = (m: number) => CATEGORICAL[(m - 1) % CATEGORICAL.length];

/** A scene drawn with a mask over it: each digit class in its own colour, background left bare. */
function MaskView({ scene, mask, title }: { scene: Scene; mask: Uint8Array | null; title: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const colors = useThemeColors();
  const Z = 3;
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = document.createElement('canvas');
    img.width = SCENE;
    img.height = SCENE;
    const ictx = img.getContext('2d')!;
    ictx.fillStyle = colors.bg;
    ictx.fillRect(0, 0, SCENE, SCENE);
    for (let i = 0; i < SCENE * SCENE; i++) {
      const m = mask ? mask[i] : 0;
      const v = scene.image[i];
      if (m > 0) {
        ictx.globalAlpha = 1;
        ictx.fillStyle = classColor(m);
        ictx.fillRect(i % SCENE, Math.floor(i / SCENE), 1, 1);
      } else if (v > 0 && !mask) {
        ictx.globalAlpha = Math.min(1, v);
        ictx.fillStyle = colors.fg;
        ictx.fillRect(i % SCENE, Math.floor(i / SCENE), 1, 1);
      }
    }
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, 0, 0, SCENE * Z, SCENE * Z);
  }, [scene, mask, colors]);
  return (
    <figure style={{ margin: 0 }}>
      <canvas ref={ref} width={SCENE * Z} height={SCENE * Z} role="img" aria-label={title} style={{ display: 'block', width: '100%', maxWidth: SCENE * Z, border: '1px solid var(--line)' }} />
    </figure>
  );
}

function Legend() {
  return (
    <p className="plot-caption" style={{ display: 'flex', flexWrap: 'wrap', gap: '0.2rem 0.7rem' }}>
      {Array.from({ length: 10 }, (_, d) => (
        <span key={d}>
          <span aria-hidden style={{ display: 'inline-block', width: '0.8em', height: '0.8em', background: classColor(d + 1), marginRight: '0.25em', verticalAlign: '-0.05em' }} />
          {d}
        </span>
      ))}
    </p>
  );
}

/** The IoU of every class and their mean, one row. */
function IouTable({ perClass, mean, caption }: { perClass: readonly number[]; mean: number; caption: string }) {
  return (
    <>
      <p className="plot-caption" style={{ margin: '0.3rem 0' }}>{caption}</p>
      {/* Scrolls sideways on a narrow screen instead of overflowing the frame (12 columns). */}
      <div style={{ overflowX: 'auto', maxWidth: '100%' }}>
        <table className="stats" aria-label={caption} style={{ fontVariantNumeric: 'tabular-nums', fontSize: '0.85rem' }}>
          <tbody>
            <tr>
              {CLASS_NAMES.map((n) => (
                <th key={n} scope="col">{n === 'background' ? 'bg' : n.slice(-1)}</th>
              ))}
              <th scope="col">mean</th>
            </tr>
            <tr>
              {perClass.map((v, i) => (
                <td key={i} style={{ textAlign: 'right' }}>{fmt(v)}</td>
              ))}
              <td style={{ textAlign: 'right' }}>{fmt(mean)}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </>
  );
}

interface Inference {
  flat: Float32Array;
  scenes: Scene[];
  skips: boolean;
}
const infer = (q: Inference) => segment(q.flat, q.scenes, q.skips);
/** The scores of a network on every held-out scene of a seed (the table before any training), in batches of 25 scenes. */
const scoreAll = async (q: Inference & { seed: number }) => {
  const masks: Uint8Array[] = [];
  for (let i = 0; i < q.scenes.length; i += 25) masks.push(...(await segment(q.flat, q.scenes.slice(i, i + 25), q.skips)));
  return scoreMasks(masks, q.scenes);
};
const fmt = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(2));

/** The shipped U-Net and the test digits the held-out scenes are composed from, loaded together (both small). */
async function loadFirst(signal: AbortSignal, onProgress: (f: number) => void) {
  const [shipped, test] = await Promise.all([
    loadFlatModel(SHIPPED, parameterCount(), { baseUrl: MODELS_BASE_URL, signal }),
    loadMnist({ split: 'test', count: TEST_DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: (l, t) => onProgress(l / t) }),
  ]);
  return { shipped, test };
}

/** Which input pixels feed which output pixels of transposed and dilated convolutions; a tiny U-Net trained in a worker. */
export default function SegmentationView() {
  const { values: c, set: setConv } = useDemoParams(convParams);
  const { values: p, set } = useDemoParams(unetParams);

  // The visualiser.
  const kind = c.kind as ConvKind;
  const g: ConvGeometry = { kind, inSize: VIS_IN[kind], kernel: c.kernel, stride: c.stride, dilation: c.dilation, padding: c.padding };
  const problem = geometryProblem(g);
  const conn = useComputed(async (q: ConvGeometry) => (geometryProblem(q) ? null : connectivity(q)), g);
  const out = problem ? 0 : outputSize(g);
  const shownConn = conn && conn.geometry.kind === g.kind && conn.outSize === out ? conn : null;

  // The U-Net: the shipped network first, then a run from scratch in the worker.
  const first = useResource(loadFirst, 'first');
  const test = first.value?.test ?? null;
  const shipped = first.value?.shipped ?? null;
  const [page, setPage] = useState(0);
  const pages = HELD_OUT / PER_PAGE;
  const held = useMemo(() => (test ? heldOutScenes(test, (page + 1) * PER_PAGE, p.seed) : null), [test, page, p.seed]);
  const job = useJob<TrainInput, TrainProgress, TrainProgress>(() => new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' }));
  const input: TrainInput = useMemo(() => ({ seed: p.seed, steps: Number(p.steps), skips: p.skips }), [p.seed, p.steps, p.skips]);
  const { run, start } = useJobRun(job, input);
  // Each progress message carries a fresh copy of the parameters of the last evaluation: redraw only when they change.
  const evalStep = run?.scoreAt.at(-1) ?? -1;
  const flatAt = useRef<{ step: number; flat: Float32Array } | null>(null);
  if (!run?.flat.length) flatAt.current = null;
  else if (flatAt.current?.step !== evalStep) flatAt.current = { step: evalStep, flat: run.flat };
  const runFlat = flatAt.current?.flat ?? null;
  const flat = runFlat ?? shipped?.flat ?? null;
  const latest = useLatest(held && flat ? infer : null);
  const { submit } = latest;
  useEffect(() => {
    if (held && flat) submit({ flat, scenes: held.slice(page * PER_PAGE, (page + 1) * PER_PAGE), skips: p.skips });
  }, [held, flat, page, p.skips, submit]);
  useReady(latest.result !== null && (shownConn !== null || problem !== null));
  const scenes = latest.input?.scenes ?? [];
  const masks = latest.result ?? [];
  const shownScore = useMemo(() => (masks.length === scenes.length && scenes.length ? scoreMasks(masks, scenes) : null), [masks, scenes]);

  // The shipped network's table on all the held-out scenes: as its training job measured it (the manifest) on the
  // default seed's scenes with its skips; for another seed or with the skips cut, computed here after the first masks.
  const measured = shipped ? (shipped.manifest.test as unknown as SegmentationScore & { seed: number }) : null;
  const fromManifest = measured && measured.seed === p.seed && p.skips ? measured : null;
  const table = useLatest(scoreAll);
  const { submit: submitTable } = table;
  const firstShown = latest.result !== null;
  useEffect(() => {
    if (firstShown && test && shipped && !runFlat && !fromManifest) submitTable({ flat: shipped.flat, scenes: heldOutScenes(test, HELD_OUT, p.seed), skips: p.skips, seed: p.seed });
  }, [firstShown, test, shipped, runFlat, fromManifest, p.seed, p.skips, submitTable]);
  const computed = table.result && table.input?.flat === shipped?.flat && table.input?.skips === p.skips && table.input?.seed === p.seed ? table.result : null;
  const shippedTable = runFlat ? null : (fromManifest ?? computed);

  const lastAt = run?.scoreAt.at(-1);
  const steps = shipped ? Number(shipped.manifest.training.steps) : undefined;
  const who = runFlat && lastAt !== undefined ? `trained here from scratch, after ${lastAt} steps` : `shipped (${steps ?? '…'} steps of the default run, trained by npm run train -- ${SHIPPED})`;
  const status = run
    ? `step ${run.steps.toLocaleString('en-US')} of ${run.total.toLocaleString('en-US')} · mean IoU ${fmt(run.miou.at(-1))} at step ${lastAt} · ${run.trainSeconds.toFixed(1)} s of training${job.result ? '' : ' so far'}`
    : job.state === 'running'
      ? `loading ${TRAIN_DIGITS.toLocaleString('en-US')} training and ${TEST_DIGITS.toLocaleString('en-US')} test digits…`
      : undefined;

  return (
    <div className="segmentation-demo">
      <section aria-label="Which input pixels feed an output pixel">
        <ParamControls table={convParams} values={c} onChange={setConv} />
        {problem ? (
          <p role="alert">{problem}</p>
        ) : shownConn ? (
          <ConvPanel g={g} conn={shownConn} pick={c.pick as [number, number]} onPick={(col, row) => setConv('pick', [col, row])} />
        ) : null}
        <p className="plot-caption">
          Computed by running tf.{kind === 'transposed' ? 'conv2dTranspose' : 'conv2d with dilations'} with a kernel of ones on {VIS_IN[kind] ** 2} one-hot
          images (one per input pixel) and on an image of ones (the counts).
        </p>
      </section>

      <section aria-label="A U-Net trained in your browser" style={{ marginTop: '0.8rem', paddingTop: '0.6rem', borderTop: '1px solid var(--line)' }}>
        <div className="toolbar" data-frames={latest.count} data-running="0">
          <button type="button" data-action="step" onClick={() => setPage((k) => (k + 1) % pages)}>
            Next scenes
          </button>
          <span className="status-line">
            held-out scenes {page * PER_PAGE + 1}–{(page + 1) * PER_PAGE} of {HELD_OUT}, the U-Net {who}
            {!p.skips ? ', its skips cut' : ''}
            {shownScore ? ` · mean IoU on these ${scenes.length}: ${fmt(shownScore.meanIou)}` : ''}
          </span>
        </div>
        <div style={{ display: 'grid', gridTemplateColumns: `repeat(${PER_PAGE}, minmax(0, 1fr))`, gap: '0.3rem 0.5rem', maxWidth: '40rem' }}>
          {scenes.map((s, i) => (
            <MaskView key={`i${page}-${i}`} scene={s} mask={null} title={`Held-out scene ${page * PER_PAGE + i + 1}: digits ${s.objects.map((o) => o.cls).join(', ')}`} />
          ))}
          {scenes.map((s, i) => (
            <MaskView key={`t${page}-${i}`} scene={s} mask={s.mask} title={`Its true mask: ${s.objects.map((o) => o.cls).join(', ')}`} />
          ))}
          {scenes.map((s, i) => (
            <MaskView key={`p${page}-${i}`} scene={s} mask={masks[i] ?? null} title={`The U-Net's mask of scene ${page * PER_PAGE + i + 1}`} />
          ))}
        </div>
        {!held && <p className="status-line">Loading the shipped U-Net and {TEST_DIGITS.toLocaleString('en-US')} test digits… {Math.round(100 * first.progress)} %</p>}
        <p className="plot-caption">Rows: the scene, its true mask, the U-Net’s mask (each pixel’s most probable class).</p>
        <Legend />
        {runFlat && run && run.perClass.length > 0 ? (
          <IouTable perClass={run.perClass} mean={run.miou.at(-1) ?? NaN} caption={`IoU of each class on the ${HELD_OUT} held-out scenes, the run from scratch at step ${lastAt}`} />
        ) : shippedTable ? (
          <IouTable perClass={shippedTable.perClass} mean={shippedTable.meanIou} caption={`IoU of each class on the ${HELD_OUT} held-out scenes, the shipped U-Net${p.skips ? '' : ' with its skips cut'} · pixel accuracy ${fmt(shippedTable.pixelAccuracy)}`} />
        ) : null}

        <TrainingSection label="Train the U-Net" startLabel="Train from scratch" table={unetParams} values={p} onChange={set} job={job} onStart={start} status={status}>
          <Chart
            label={`Mean IoU on ${HELD_OUT} held-out scenes`}
            series={[
              { label: 'mean IoU', color: SERIES[2], values: run?.miou ?? [] },
              { label: 'pixel accuracy', color: SERIES[7], values: run?.pixelAcc ?? [] },
            ]}
            x={run?.scoreAt ?? []}
            xLabel="step"
            yLabel="score"
            yMin={0}
            yMax={1}
            height={180}
          />
          <Chart label="Training loss (weighted pixel-wise cross-entropy)" series={[{ label: 'loss', color: SERIES[0], values: run?.loss ?? [] }]} x={run?.lossAt ?? []} xLabel="step" log height={180} />
        </TrainingSection>
      </section>
    </div>
  );
}
