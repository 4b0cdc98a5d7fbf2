/** How the FGSM view writes a network's answers and the curves' progress: pure, tested in Node. */
import { argMax, type DigitAttack } from './model';
import type { CurvesProgress } from './curves';
import { formatNumber, formatPercent } from '../ui/plots/scale';

const num = formatNumber;

/** A network's class before and after the attack (−1 before a result), and whether the attack moved it off the target. */
export function answers(r: DigitAttack | null): { before: number; after: number; fooled: boolean } {
  const before = r ? argMax(r.clean) : -1;
  const after = r ? argMax(r.adversarial) : -1;
  return { before, after, fooled: r !== null && after !== r.target };
}

/** Under a network's panel: its answers before and after, and how far its attacked logit moved against the linear prediction. */
export function attackCaption(r: DigitAttack | null): string {
  if (!r) return 'Loading the network…';
  const { before, after, fooled } = answers(r);
  return `Before: ${before} (${formatPercent(r.clean[before])}). After: ${after} (${formatPercent(r.adversarial[after])})${fooled ? ', fooled.' : ', still right.'} Logit Z_${r.target}: ${r.logitClean.toFixed(1)} → ${r.logitAdversarial.toFixed(1)}; a network linear around x would give ${(r.logitClean + r.linearPrediction).toFixed(1)} (∇ₓZᵀδ = ${r.linearPrediction.toFixed(1)}).`;
}

/** The curves job's status: digits through every attack so far (or in all, once `finished`), its loading, or nothing. */
export function curvesStatus(shown: CurvesProgress | null, finished: boolean, running: boolean): string | undefined {
  if (shown) return `${num(Math.min(...Array.from(shown.counts)))} of ${num(shown.total)} digits through every attack${finished ? '' : ' so far'}`;
  return running ? 'loading the networks and digits…' : undefined;
}
