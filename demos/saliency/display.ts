/** What the saliency view asks the explainer for and how it names it: pure, tested in Node. */
import type { ParamValues } from '../runtime/params';
import { MAPS, type Checked, type ExplainOptions, type Method, type Randomized, type TargetRequest } from './model';
import { explainParams } from './params';

type Values = ParamValues<typeof explainParams>;

export const NAMES: Record<Method, string> = {
  saliency: 'Saliency |∂S/∂x|',
  deconvnet: 'Deconvnet',
  guided: 'Guided backprop',
  gradcam: 'Grad-CAM',
  ig: 'Integrated gradients',
};

/** The request the parameters describe; a conv1 channel past its 16 is read as the last one, and said so. */
export function request(p: Values): { opts: ExplainOptions; note: string | null } {
  let target: TargetRequest;
  let note: string | null = null;
  if (p.target === 'class') target = { kind: 'class', cls: p.cls === 'top' ? 'top' : Number(p.cls) };
  else {
    const layer = p.target as 'conv1' | 'conv2';
    const last = MAPS[layer].channels - 1;
    if (p.unit > last) note = `${layer} has channels 0–${last}: showing channel ${last}.`;
    target = { kind: 'unit', layer, channel: Math.min(p.unit, last) };
  }
  return { opts: { target, igSteps: p.steps, randomize: p.randomize as Randomized, seed: p.seed }, note };
}

/** What an explanation explains, in words. */
export const describe = (t: Checked['trained']['target']) => (t.kind === 'class' ? `the score of class ${t.cls}` : `the strongest activation of ${t.layer} channel ${t.channel}`);

/** The rows of maps: the trained network's, then, with a sanity check, the re-drawn one's titled by what was re-drawn. */
export function mapRows(r: Checked | null, randomize: string): { title: string; e: Checked['trained'] }[] {
  const rows: { title: string; e: Checked['trained'] }[] = r ? [{ title: 'Trained network', e: r.trained }] : [];
  if (r?.randomized) rows.push({ title: explainParams.randomize.options.find((o) => o.value === randomize)!.label.replace(/^re-draw/, 'Re-drawn:'), e: r.randomized });
  return rows;
}
