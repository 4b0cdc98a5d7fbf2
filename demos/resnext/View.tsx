'use client';
import { useMemo } from 'react';
import type { Simulation } from '../runtime/simulation';
import { groupLinks, groupOf, traceBack } from '../runtime/models/grouped';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { useFrame } from '../ui/frame';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { ChannelGraph } from '../ui/plots/ChannelGraph';
import { blockMacs, blockParams, BUDGET, CARDINALITIES, createFormsRun, equalBudgetWidth, formMacs, formsSteps, PAPER_RESNEXT50, type FormsFrame } from './model';
import { resnextParams } from './params';
import { formatInt } from '../ui/plots/scale';

const REPEATS = 5;
/** The feature map the forms run on: 256 channels, SIDE × SIDE. */
const SIDE = 8;
const simulate = (q: { c: number; seed: number }): Simulation<FormsFrame> => createFormsRun({ cardinality: q.c, side: SIDE, seed: q.seed, repeats: REPEATS });

const int = formatInt;
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : '…');
const sci = (v: number) => (v === 0 ? '0' : v.toExponential(1));

const FORMS = [
  { key: 'a', name: '(a) C paths, summed', kernels: (c: number) => `${3 * c} conv2d + sum` },
  { key: 'b', name: '(b) concatenate, one 1×1', kernels: (c: number) => `${2 * c + 1} conv2d + concat` },
  { key: 'c', name: '(c) grouped 3×3, block-diagonal kernel', kernels: () => '3 conv2d' },
  { key: 'cSplit', name: '(c) grouped 3×3, split → conv → concat', kernels: (c: number) => `${c + 2} conv2d + split, concat` },
] as const;

/** ResNeXt: a grouped convolution's connectivity, the block's cost at equal budget, and its three forms run for real. */
export default function ResnextView() {
  const { values: p, set } = useDemoParams(resnextParams);
  const { backend } = useFrame();
  const C = Number(p.c);
  const d = equalBudgetWidth(C);
  const n = C * d;
  const sim = useSimulation(simulate, { c: C, seed: p.seed }, { budget: formsSteps(REPEATS), autoplay: true, pace: { max: 1 }, converged: (f) => f.done });
  const graph = useMemo(() => {
    const links = [groupLinks(n, n, C)];
    return { stages: [{ label: `${n} in`, channels: n }, { label: `${n} out`, channels: n }], links, lit: traceBack([n, n], links, 0) };
  }, [n, C]);
  const colourOf = useMemo(() => (_: number, ch: number) => groupOf(ch, n, C), [n, C]);
  const f = sim.frame;
  const macs = formMacs(C, d, SIDE);
  const status = f ? (f.done ? `forms timed on ${backend}` : `timing the forms on ${backend} (${f.steps} of ${formsSteps(REPEATS)} runs)`) : '';

  return (
    <div className="resnext-demo">
      <ParamControls table={resnextParams} values={p} onChange={set} />
      <ChannelGraph label={`Grouped 3×3 convolution of ${n} channels in ${C} groups of ${d}: each output channel reads ${d} of the ${n} input channels`} stages={graph.stages} links={graph.links} lit={graph.lit} groupOf={colourOf} gap={90} />
      <p className="plot-caption">
        The grouped 3×3 layer at C = {C}, d = {d}: {n} channels in, {n} out, {C} group{C > 1 ? 's' : ''} of {d}, one colour per group. Each output channel reads {d} input channel{d > 1 ? 's' : ''} (the first output&apos;s are drawn strong), so the layer has {int(9 * n * d)} weights where a dense 3×3 of
        the same width would have {int(9 * n * n)}.
      </p>

      <table className="stats" data-testid="budget">
        <caption>Equal budget: weights C·(256·d + 9·d² + 256·d), mult-adds on 56×56; paper&apos;s Tables 2–3</caption>
        <thead>
          <tr>
            <th scope="col">C</th>
            <th scope="col">d (paper)</th>
            <th scope="col">grouped width C·d</th>
            <th scope="col">weights</th>
            <th scope="col">vs C = 1</th>
            <th scope="col">mult-adds (M)</th>
            <th scope="col">ResNeXt-50 top-1 error</th>
          </tr>
        </thead>
        <tbody>
          {CARDINALITIES.map((c) => {
            const dc = equalBudgetWidth(c);
            const paper = PAPER_RESNEXT50.find((r) => r.cardinality === c);
            return (
              <tr key={c} style={c === C ? { fontWeight: 700 } : undefined}>
                <th scope="row">{c}</th>
                <td>
                  {dc} ({paper ? paper.d : '–'})
                </td>
                <td>{c * dc}</td>
                <td>{int(blockParams(c, dc))}</td>
                <td>{((100 * blockParams(c, dc)) / BUDGET).toFixed(1)} %</td>
                <td>{(blockMacs(c, dc, 56) / 1e6).toFixed(1)}</td>
                <td>{paper ? `${paper.top1Error.toFixed(1)} %` : 'not trained'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <Transport sim={sim} status={status} />
      <table className="stats" data-testid="forms">
        <caption>
          The three forms on one {SIDE}×{SIDE}×256 feature map with the same weights (C = {C}, d = {d}), run here on {backend}; median of {REPEATS} runs after a warm-up
        </caption>
        <thead>
          <tr>
            <th scope="col">form</th>
            <th scope="col">kernels</th>
            <th scope="col">first outputs</th>
            <th scope="col">max |· − (a)|</th>
            <th scope="col">mult-adds (M)</th>
            <th scope="col">ms</th>
          </tr>
        </thead>
        <tbody>
          {FORMS.map((form) => {
            const sample = f ? (form.key === 'a' ? f.forms.sampleA : form.key === 'b' ? f.forms.sampleB : form.key === 'c' ? f.forms.sampleC : null) : null;
            const diff = f ? { a: 0, b: f.forms.maxDiffAB, c: f.forms.maxDiffAC, cSplit: f.forms.maxDiffACSplit }[form.key] : NaN;
            return (
              <tr key={form.key}>
                <th scope="row">{form.name}</th>
                <td>{form.kernels(C)}</td>
                <td>{sample ? sample.map((v) => v.toFixed(3)).join(', ') : f ? 'as (c)' : '…'}</td>
                <td>{f ? sci(diff) : '…'}</td>
                <td>{(macs[form.key] / 1e6).toFixed(1)}</td>
                <td>{f ? ms(f.ms[form.key]) : '…'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="plot-caption">
        Differences of order 10⁻⁶ are float32 rounding: the forms add the same products in different orders. tfjs has no grouped convolution, so form (c) runs either as one convolution whose kernel is zero outside the groups (C× the 3×3 layer&apos;s arithmetic) or as C
        convolutions on slices. The same block in a whole network: <a href="/large-networks/architectures/?arch=resnext50_32x4d">ResNeXt-50 32×4d in the architecture explorer</a>.
      </p>
    </div>
  );
}
