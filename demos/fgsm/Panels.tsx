'use client';
import { Chart } from '../ui/plots/Chart';
import { ProbabilityBars } from '../ui/plots/ProbabilityBars';
import { PerturbedDigit } from '../ui/digits/PerturbedDigit';
import { SERIES } from '../ui/plots/palette';
import type { DigitAttack } from './model';
import { curve, CURVE_MODELS, type CurvesProgress } from './curves';
import { answers, attackCaption } from './display';

const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const NETS = [
  { name: 'cnn', title: 'Normal CNN' },
  { name: 'cnn-adv', title: 'Adversarially trained CNN' },
] as const;

/** One network's answer before and after the attack, the perturbation it got and the attacked digit. */
export function NetworkPanel({ title, r, eps }: { title: string; r: DigitAttack | null; eps: number }) {
  const { before, after } = answers(r);
  return (
    <section aria-label={title} data-net={title} data-before={before >= 0 ? before : undefined} data-after={after >= 0 ? after : undefined} style={{ minWidth: 0 }}>
      <p className="demo-subtitle" style={{ margin: '0 0 0.4rem', fontSize: '0.95rem' }}>{title}</p>
      <PerturbedDigit
        delta={r?.delta ?? null}
        image={r?.image ?? null}
        scale={Math.max(eps, 1e-6)}
        labels={[`The perturbation δ: orange pixels brightened, blue darkened, by up to ε = ${eps}`, 'The attacked digit x′']}
        captions={['δ = x′ − x', 'x′']}
      />
      <ProbabilityBars probs={r?.adversarial ?? null} classes={CLASSES} top={after} label={`${title}: class probabilities on the attacked digit`} rowHeight={18} />
      <p className="plot-caption" aria-live="polite" style={{ margin: '0.2rem 0 0' }}>
        {attackCaption(r)}
      </p>
    </section>
  );
}

/** Test error against ε for both networks, FGSM solid and PGD dashed, from the digits attacked so far. */
export function ErrorCurves({ shown }: { shown: CurvesProgress | null }) {
  const series = shown ? CURVE_MODELS.flatMap((_, m) => (['FGSM', 'PGD'] as const).map((a, k) => ({ label: `${NETS[m].title}, ${a}`, color: SERIES[m], dashed: k === 1, values: curve(shown, m, k) }))) : [];
  return <Chart label="Test error against ε" height={240} x={shown?.epsilons ?? []} xLabel="ε" yLabel="test error" yMin={0} yMax={1} series={series} />;
}
