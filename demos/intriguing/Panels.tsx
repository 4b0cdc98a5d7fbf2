'use client';
import type { MnistArrays } from '../runtime/data/idx';
import { MapImage } from '../ui/plots/MapImage';
import { ProbabilityBars } from '../ui/plots/ProbabilityBars';
import { PerturbedDigit } from '../ui/digits/PerturbedDigit';
import type { DigitTransferFrame } from './model';
import type { TransferProgress, transferRates } from './transfer';
import { answerCaption, top1 } from './display';
import { formatPercent } from '../ui/plots/scale';

const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** k digits of the test set with their labels and scores. */
export function DigitRow({ title, data, top, scores, purity, testId }: { title: string; data: MnistArrays | null; top: Int32Array | null; scores: Float32Array | null; purity: number; testId: string }) {
  return (
    <section aria-label={title} data-top={top ? Array.from(top).join(',') : undefined} data-testid={testId} style={{ minWidth: 0 }}>
      <p className="demo-subtitle" style={{ margin: '0 0 0.3rem', fontSize: '0.95rem' }}>{title}</p>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.3rem' }}>
        {Array.from(top ?? [], (j, i) => (
          <MapImage
            key={`${i}-${j}`}
            values={Float32Array.from(data!.images.subarray(j * 784, (j + 1) * 784), (v) => v / 255)}
            width={28}
            height={28}
            zoom={2}
            scale={1}
            label={`Test digit ${j}, label ${data!.labels[j]}, score ${scores![i].toFixed(2)}`}
            caption={`${data!.labels[j]} · ${scores![i].toFixed(1)}`}
          />
        ))}
      </div>
      <p className="plot-caption" style={{ margin: '0.2rem 0 0' }}>
        {top ? `Labels: ${Array.from(top, (j) => data!.labels[j]).join(' ')}; the most common label covers ${formatPercent(purity)}.` : 'Waiting for the digits…'}
      </p>
    </section>
  );
}

/** One network's answers on x and on x + r. */
export function NetPanel({ title, clean, adv, label }: { title: string; clean: Float32Array | null; adv: Float32Array | null; label?: number }) {
  const a = clean ? top1(clean) : -1;
  const b = adv ? top1(adv) : -1;
  return (
    <section aria-label={title} data-before={a >= 0 ? a : undefined} data-after={b >= 0 ? b : undefined} style={{ minWidth: 0 }}>
      <p className="demo-subtitle" style={{ margin: '0 0 0.3rem', fontSize: '0.95rem' }}>{title}</p>
      <ProbabilityBars probs={adv} classes={CLASSES} top={b} label={`${title}: class probabilities on x + r`} rowHeight={16} width={260} />
      <p className="plot-caption" style={{ margin: '0.2rem 0 0' }}>
        {answerCaption(clean, adv, label)}
      </p>
    </section>
  );
}

/** The transfer run's tally over test digits: how often the attack succeeded on the source and fooled the target. */
export function TransferTable({ shown, rates }: { shown: TransferProgress; rates: ReturnType<typeof transferRates> }) {
  return (
    <table className="data-table" data-transfer={rates.transfer} style={{ marginTop: '0.5rem' }}>
      <tbody>
        <tr><th scope="row">Adversarial examples found on {shown.source}</th><td>{shown.tally.found} of {shown.tally.attacked} ({formatPercent(rates.success)})</td></tr>
        <tr><th scope="row">Mean RMS distortion √(Σr²/784)</th><td>{Number.isFinite(rates.distortion) ? rates.distortion.toFixed(3) : '–'}</td></tr>
        <tr><th scope="row">{shown.target} wrong on x (same digits)</th><td>{formatPercent(rates.cleanError)}</td></tr>
        <tr><th scope="row">{shown.target} wrong on x + r (transfer)</th><td>{formatPercent(rates.transfer)}, of which says l: {formatPercent(rates.targetClass)}</td></tr>
        <tr><th scope="row">{shown.target} wrong on x + r magnified to RMS 0.1</th><td>{formatPercent(rates.magnified)}</td></tr>
        <tr><th scope="row">{shown.target} wrong on x + Gaussian noise of the same RMS</th><td>{formatPercent(rates.noise)}</td></tr>
      </tbody>
    </table>
  );
}

/** The attack's perturbation r and the adversarial digit x + r, with what the search found. */
export function Perturbation({ r, caption }: { r: DigitTransferFrame | null; caption: string }) {
  return (
    <section aria-label="The perturbation" data-distortion={r && Number.isFinite(r.distortion) ? r.distortion : undefined} style={{ minWidth: 0 }}>
      <PerturbedDigit
        delta={r?.r ?? null}
        image={r?.image ?? null}
        labels={['The perturbation r (orange: brightened, blue: darkened), scaled to its largest pixel', 'The adversarial digit x + r']}
        captions={['r (scaled)', 'x + r']}
      />
      <p className="plot-caption" aria-live="polite" style={{ margin: '0.2rem 0 0' }}>
        {caption}
      </p>
    </section>
  );
}
