'use client';
import { useEffect, useMemo, useState } from 'react';
import type { MnistArrays } from '../runtime/data/idx';
import { digitsLoader } from '../runtime/data/loader';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { JobControls, JobProblem } from '../ui/controls/JobControls';
import { useResource } from '../ui/useResource';
import { useLatest } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { useJob } from '../ui/useJob';
import { Chart } from '../ui/plots/Chart';
import { MapImage } from '../ui/plots/MapImage';
import { SERIES } from '../ui/plots/palette';
import { calibration, heldOut, hrSide, initialFlats, lrSide, restore, score, SIDE, type HeldOut, type Restored, type Scale, type Scores } from './model';
import { HELD_OUT, TEST_DIGITS, type Quality, type TrainInput, type TrainProgress } from './train';
import { restoreParams } from './params';

/** Digits shown at a time, and the width in CSS pixels each picture is drawn at. */
const PER_PAGE = 3;
const PICTURE = 84;
const loadTest = digitsLoader('test', TEST_DIGITS);
const clip = (a: Float32Array) => a.map((v) => Math.min(1, Math.max(0, v)));
const q = (s: Scores, i: number) => `${s.psnr[i].toFixed(1)} dB · ${s.ssim[i].toFixed(2)}`;

interface Inference {
  sr: Float32Array;
  dn: Float32Array;
  set: HeldOut;
  calib: Float32Array;
  /** The shown digits are [from, set.count). */
  from: number;
}

interface Shown {
  out: Restored;
  bicubic: Scores;
  espcn: Scores;
  noisy: Scores;
  denoised: Scores;
}

/** The digits [from, set.count) of a held-out set, as a set of their own (views, no copies). */
function shownPart(set: HeldOut, from: number): HeldOut {
  const hs = hrSide(set.scale) ** 2;
  const ls = lrSide(set.scale) ** 2;
  const px = SIDE * SIDE;
  return { ...set, count: set.count - from, hr: set.hr.subarray(from * hs), lr: set.lr.subarray(from * ls), bicubic: set.bicubic.subarray(from * hs), clean: set.clean.subarray(from * px), noisy: set.noisy.subarray(from * px) };
}

/**
 * The networks on the shown digits only (batch normalization takes its statistics from `calib`, so a digit's
 * result does not depend on the others), and PSNR / SSIM of every picture against its reference.
 */
async function infer({ sr, dn, set, calib, from }: Inference): Promise<Shown> {
  const part = shownPart(set, from);
  const out = await restore(sr, dn, part, part.count, calib);
  const side = hrSide(set.scale);
  return {
    out,
    bicubic: score(part.bicubic, part.hr, part.count, side),
    espcn: score(out.sr, part.hr, part.count, side),
    noisy: score(part.noisy, part.clean, part.count, SIDE),
    denoised: score(out.dn, part.clean, part.count, SIDE),
  };
}

const head = (text: string) => (
  <div className="plot-caption" style={{ fontWeight: 600, margin: 0 }}>
    {text}
  </div>
);

const grid = (columns: number) => ({ display: 'grid', gridTemplateColumns: `repeat(${columns}, minmax(0, ${PICTURE}px))`, gap: '0.3rem 0.5rem', alignItems: 'start' });

const cell = (values: Float32Array, side: number, i: number, label: string, caption: string) => (
  <MapImage values={values.subarray(i * side * side, (i + 1) * side * side)} width={side} height={side} zoom={PICTURE / side} scale={1} label={label} caption={caption} />
);

function Means({ run }: { run: TrainProgress | null }) {
  const last = (a: Quality[]) => a[a.length - 1];
  const fmt = (x: Quality | undefined) => (x ? `${x.psnr.toFixed(2)} dB / ${x.ssim.toFixed(3)}` : '–');
  const rows: [string, Quality | undefined][] = [
    ['bicubic (Keys, a = −0.5)', run?.bicubic],
    ['ESPCN', run ? last(run.sr) : undefined],
    ['the noisy input', run?.noisy],
    ['the noisy input clipped to [0, 1]', run?.clipped],
    ['DnCNN-style denoiser', run ? last(run.dn) : undefined],
  ];
  return (
    <table className="stats" style={{ fontVariantNumeric: 'tabular-nums', fontSize: '0.85rem' }}>
      <caption style={{ captionSide: 'top', textAlign: 'left', color: 'var(--muted)', fontSize: '0.8rem' }}>
        Mean PSNR / SSIM over the first {HELD_OUT} test digits{run ? ` at step ${run.evalAt.at(-1)}` : ' (train to fill in)'}
      </caption>
      <tbody>
        {rows.map(([name, v]) => (
          <tr key={name}>
            <th scope="row" style={{ textAlign: 'left', fontWeight: 400 }}>{name}</th>
            <td style={{ textAlign: 'right' }}>{fmt(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** ESPCN ×2 / ×3 and a DnCNN-style denoiser trained in a worker on MNIST; held-out digits against bicubic and the noisy input. */
export default function SuperResolutionView() {
  const { values: p, set: setParams } = useDemoParams(restoreParams);
  const scale = Number(p.scale) as Scale;
  const test = useResource<MnistArrays>(loadTest, 'test');
  const [page, setPage] = useState(0);
  const pages = Math.floor(HELD_OUT / PER_PAGE);
  const held = useMemo(() => (test.value ? heldOut(test.value, (page + 1) * PER_PAGE, scale, p.sigma, p.seed) : null), [test.value, page, scale, p.sigma, p.seed]);
  const calib = useMemo(() => (test.value ? calibration(test.value, p.sigma, p.seed) : null), [test.value, p.sigma, p.seed]);

  const job = useJob<TrainInput, TrainProgress, TrainProgress>(() => new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' }));
  const input: TrainInput = useMemo(() => ({ seed: p.seed, steps: Number(p.steps), scale, sigma: p.sigma }), [p.seed, p.steps, scale, p.sigma]);
  const [ranFor, setRanFor] = useState<string | null>(null);
  const key = JSON.stringify(input);
  const run = ranFor === key ? (job.result ?? job.partial) : null;
  const train = () => {
    setRanFor(key);
    job.start(input);
  };
  const start = useMemo(() => initialFlats(scale, p.seed), [scale, p.seed]);
  const srFlat = run?.srFlat ?? start.sr;
  const dnFlat = run?.dnFlat ?? start.dn;

  const latest = useLatest(held && calib ? infer : null);
  const { submit } = latest;
  useEffect(() => {
    if (held && calib) submit({ sr: srFlat, dn: dnFlat, set: held, calib, from: page * PER_PAGE });
  }, [held, calib, srFlat, dnFlat, page, submit]);
  useReady(latest.result !== null);
  const shown = latest.result;
  const set = latest.input?.set ?? null;
  const from = latest.input?.from ?? 0;

  const who = run ? `after ${run.evalAt.at(-1) ?? 0} steps` : 'untrained (step 0)';
  const last = run?.sr.at(-1);
  const status = run
    ? `step ${run.steps} of ${run.total} · ESPCN ${last ? last.psnr.toFixed(2) : '–'} dB (bicubic ${run.bicubic.psnr.toFixed(2)}) · denoiser ${run.dn.at(-1)?.psnr.toFixed(2) ?? '–'} dB (input ${run.noisy.psnr.toFixed(2)}) · ${run.trainSeconds.toFixed(1)} s of training${job.result ? '' : ' so far'}`
    : job.state === 'running'
      ? 'loading 5,000 training and 1,032 test digits…'
      : undefined;

  const rows = shown && set ? Array.from({ length: set.count - from }, (_, i) => i) : [];
  const hs = hrSide(set?.scale ?? scale);
  const ls = lrSide(set?.scale ?? scale);
  const tail = (a: Float32Array, n: number) => a.subarray(from * n * n);

  return (
    <div className="super-resolution-demo">
      <ParamControls table={restoreParams} values={p} onChange={setParams} />
      <div className="toolbar" data-frames={latest.count} data-running="0">
        <button type="button" data-action="step" onClick={() => setPage((k) => (k + 1) % pages)}>
          Next digits
        </button>
        <span className="status-line">
          test digits {page * PER_PAGE + 1}–{(page + 1) * PER_PAGE}, the networks {who}
        </span>
      </div>
      {!held && <p className="status-line">Loading test digits… {Math.round(100 * test.progress)} %</p>}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.6rem 1.4rem' }}>
        <section aria-label={`Super-resolution ×${set?.scale ?? scale}`}>
          <div style={grid(4)}>
            {head(`input ${ls}×${ls}`)}
            {head('bicubic')}
            {head('ESPCN')}
            {head(`truth ${hs}×${hs}`)}
            {shown && set && rows.map((i) => [
              <div key={`l${i}`}>{cell(tail(set.lr, ls), ls, i, `Low-resolution input, digit ${from + i + 1}`, 'input')}</div>,
              <div key={`b${i}`}>{cell(tail(set.bicubic, hs), hs, i, `Bicubic, digit ${from + i + 1}: ${q(shown.bicubic, i)}`, q(shown.bicubic, i))}</div>,
              <div key={`e${i}`}>{cell(shown.out.sr, hs, i, `ESPCN, digit ${from + i + 1}: ${q(shown.espcn, i)}`, q(shown.espcn, i))}</div>,
              <div key={`t${i}`}>{cell(tail(set.hr, hs), hs, i, `Ground truth, digit ${from + i + 1}`, 'reference')}</div>,
            ])}
          </div>
        </section>
        <section aria-label={`Denoising at σ = ${set?.sigma ?? p.sigma}`}>
          <div style={grid(3)}>
            {head(`noisy, σ = ${set?.sigma ?? p.sigma}`)}
            {head('denoised')}
            {head('clean')}
            {shown && set && rows.map((i) => [
              <div key={`n${i}`}>{cell(clip(tail(set.noisy, SIDE)), SIDE, i, `Noisy input, digit ${from + i + 1}: ${q(shown.noisy, i)}`, q(shown.noisy, i))}</div>,
              <div key={`d${i}`}>{cell(shown.out.dn, SIDE, i, `Denoised, digit ${from + i + 1}: ${q(shown.denoised, i)}`, q(shown.denoised, i))}</div>,
              <div key={`c${i}`}>{cell(tail(set.clean, SIDE), SIDE, i, `Clean digit ${from + i + 1}`, 'reference')}</div>,
            ])}
          </div>
        </section>
      </div>
      <p className="plot-caption">Under each picture: PSNR · SSIM against the reference (network outputs and bicubic clipped to [0, 1]; the noisy input is shown clipped but scored as it is).</p>

      <section aria-label="Train both networks" style={{ marginTop: '0.8rem', paddingTop: '0.6rem', borderTop: '1px solid var(--line)' }}>
        <JobControls job={job} onStart={train} startLabel="Train both" label="Training steps done" status={status} />
        <JobProblem job={job} />
        <Means run={run} />
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '0.5rem 1rem' }}>
          <Chart
            label={`Super-resolution ×${scale}: PSNR on ${HELD_OUT} held-out digits`}
            series={[
              { label: 'ESPCN', color: SERIES[0], values: run?.sr.map((v) => v.psnr) ?? [] },
              { label: 'bicubic', color: SERIES[1], values: run?.sr.map(() => run.bicubic.psnr) ?? [] },
            ]}
            x={run?.evalAt ?? []}
            yLabel="PSNR (dB)"
            height={180}
          />
          <Chart
            label={`Denoising at σ = ${p.sigma}: PSNR on ${HELD_OUT} held-out digits`}
            series={[
              { label: 'denoiser', color: SERIES[2], values: run?.dn.map((v) => v.psnr) ?? [] },
              { label: 'noisy input', color: SERIES[3], values: run?.dn.map(() => run.noisy.psnr) ?? [] },
              { label: 'clipped', color: SERIES[4], values: run?.dn.map(() => run.clipped.psnr) ?? [] },
            ]}
            x={run?.evalAt ?? []}
            yLabel="PSNR (dB)"
            height={180}
          />
        </div>
      </section>
    </div>
  );
}
