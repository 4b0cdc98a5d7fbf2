'use client';
import { Chart } from '../ui/plots/Chart';
import { MapImage } from '../ui/plots/MapImage';
import { SERIES } from '../ui/plots/palette';
import { hrSide, lrSide, SIDE, type HeldOut, type Scale, type Shown } from './model';
import type { TrainProgress } from './train';
import { meanRows, quality } from './display';

/** The width in CSS pixels each picture is drawn at. */
const PICTURE = 84;
const clip = (a: Float32Array) => a.map((v) => Math.min(1, Math.max(0, v)));

const head = (text: string) => (
  <div className="plot-caption" style={{ fontWeight: 600, margin: 0 }}>
    {text}
  </div>
);

const grid = (columns: number) => ({ display: 'grid', gridTemplateColumns: `repeat(${columns}, minmax(0, ${PICTURE}px))`, gap: '0.3rem 0.5rem', alignItems: 'start' });

const cell = (values: Float32Array, side: number, i: number, label: string, caption: string) => (
  <MapImage values={values.subarray(i * side * side, (i + 1) * side * side)} width={side} height={side} zoom={PICTURE / side} scale={1} label={label} caption={caption} />
);

/**
 * The shown digits [from, set.count) of `set`, one row each: for super-resolution the input, bicubic, ESPCN and the
 * truth; for denoising the noisy input, the denoised digit and the clean one; each scored under it. Before the first
 * answer (`shown` null), the column heads at the current `scale` and `sigma`.
 */
export function RestoredDigits({ shown, set, from, scale, sigma }: { shown: Shown | null; set: HeldOut | null; from: number; scale: Scale; sigma: number }) {
  const rows = shown && set ? Array.from({ length: set.count - from }, (_, i) => i) : [];
  const hs = hrSide(set?.scale ?? scale);
  const ls = lrSide(set?.scale ?? scale);
  const tail = (a: Float32Array, n: number) => a.subarray(from * n * n);
  return (
    <>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.6rem 1.4rem' }}>
        <section aria-label={`Super-resolution ×${set?.scale ?? scale}`}>
          <div style={grid(4)}>
            {head(`input ${ls}×${ls}`)}
            {head('bicubic')}
            {head('ESPCN')}
            {head(`truth ${hs}×${hs}`)}
            {shown && set && rows.map((i) => [
              <div key={`l${i}`}>{cell(tail(set.lr, ls), ls, i, `Low-resolution input, digit ${from + i + 1}`, 'input')}</div>,
              <div key={`b${i}`}>{cell(tail(set.bicubic, hs), hs, i, `Bicubic, digit ${from + i + 1}: ${quality(shown.bicubic, i)}`, quality(shown.bicubic, i))}</div>,
              <div key={`e${i}`}>{cell(shown.out.sr, hs, i, `ESPCN, digit ${from + i + 1}: ${quality(shown.espcn, i)}`, quality(shown.espcn, i))}</div>,
              <div key={`t${i}`}>{cell(tail(set.hr, hs), hs, i, `Ground truth, digit ${from + i + 1}`, 'reference')}</div>,
            ])}
          </div>
        </section>
        <section aria-label={`Denoising at σ = ${set?.sigma ?? sigma}`}>
          <div style={grid(3)}>
            {head(`noisy, σ = ${set?.sigma ?? sigma}`)}
            {head('denoised')}
            {head('clean')}
            {shown && set && rows.map((i) => [
              <div key={`n${i}`}>{cell(clip(tail(set.noisy, SIDE)), SIDE, i, `Noisy input, digit ${from + i + 1}: ${quality(shown.noisy, i)}`, quality(shown.noisy, i))}</div>,
              <div key={`d${i}`}>{cell(shown.out.dn, SIDE, i, `Denoised, digit ${from + i + 1}: ${quality(shown.denoised, i)}`, quality(shown.denoised, i))}</div>,
              <div key={`c${i}`}>{cell(tail(set.clean, SIDE), SIDE, i, `Clean digit ${from + i + 1}`, 'reference')}</div>,
            ])}
          </div>
        </section>
      </div>
      <p className="plot-caption">Under each picture: PSNR · SSIM against the reference (network outputs and bicubic clipped to [0, 1]; the noisy input is shown clipped but scored as it is).</p>
    </>
  );
}

/** Mean PSNR / SSIM of the baselines and both networks over the held-out digits. */
export function Means({ run }: { run: TrainProgress | null }) {
  const { caption, rows } = meanRows(run);
  return (
    <table className="stats" style={{ fontVariantNumeric: 'tabular-nums', fontSize: '0.85rem' }}>
      <caption style={{ captionSide: 'top', textAlign: 'left', color: 'var(--muted)', fontSize: '0.8rem' }}>{caption}</caption>
      <tbody>
        {rows.map(([name, v]) => (
          <tr key={name}>
            <th scope="row" style={{ textAlign: 'left', fontWeight: 400 }}>{name}</th>
            <td style={{ textAlign: 'right' }}>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Held-out PSNR over the run: ESPCN against bicubic, the denoiser against its input as it is and clipped. */
export function TrainingCharts({ run, scale, sigma, heldOut }: { run: TrainProgress | null; scale: number; sigma: number; heldOut: number }) {
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '0.5rem 1rem' }}>
      <Chart
        label={`Super-resolution ×${scale}: PSNR on ${heldOut} held-out digits`}
        series={[
          { label: 'ESPCN', color: SERIES[0], values: run?.sr.map((v) => v.psnr) ?? [] },
          { label: 'bicubic', color: SERIES[1], values: run?.sr.map(() => run.bicubic.psnr) ?? [] },
        ]}
        x={run?.evalAt ?? []}
        yLabel="PSNR (dB)"
        height={180}
      />
      <Chart
        label={`Denoising at σ = ${sigma}: PSNR on ${heldOut} held-out digits`}
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
  );
}
