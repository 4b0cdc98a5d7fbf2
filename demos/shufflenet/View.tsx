'use client';
import { useMemo } from 'react';
import type { Simulation } from '../runtime/simulation';
import { groupOf, receptiveChannels, stackLinks, traceBack } from '../runtime/models/grouped';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useSimulation } from '../ui/useSimulation';
import { useFrame } from '../ui/frame';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { ChannelGraph } from '../ui/plots/ChannelGraph';
import { createGuidelineTimer, guidelineCases, guidelineSteps, PAPER_SHUFFLENET, shuffledChannels, shufflenetCost, STAGE2_CHANNELS, timingSize, unitCost, type GuidelineFrame } from './model';
import { shufflenetParams } from './params';

const REPEATS = 5;
const simulate = (q: { guideline: 'g1' | 'g2'; seed: number; backend: string }): Simulation<GuidelineFrame> =>
  createGuidelineTimer({ guideline: q.guideline, seed: q.seed, repeats: REPEATS, ...timingSize(q.backend) });

const mega = (v: number) => (v / 1e6).toFixed(1);
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : '…');
const rel = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '…');

/** The stack drawn with or without shuffles, and what the first output channel sees. */
function useStack(channels: number, g: number, shuffle: boolean) {
  return useMemo(() => {
    const { sizes, links, labels } = stackLinks(channels, g, 2, shuffle);
    return { stages: sizes.map((c, i) => ({ label: labels[i], channels: c })), links, lit: traceBack(sizes, links, 0), sees: receptiveChannels(channels, g, 2, shuffle)[0] };
  }, [channels, g, shuffle]);
}

/** ShuffleNet: the channel shuffle as a permutation, stacked group convolutions with and without it, cost, and V2's guidelines timed here. */
export default function ShufflenetView() {
  const { values: p, set } = useDemoParams(shufflenetParams);
  const { backend } = useFrame();
  const g = Number(p.g);
  const n = p.n;
  const channels = g * n;
  const guideline = p.guideline === 'g2' ? 'g2' : 'g1';
  const plain = useStack(channels, g, false);
  const mixed = useStack(channels, g, true);
  const colourOf = useMemo(() => (_: number, ch: number) => groupOf(ch, channels, g), [channels, g]);
  const perm = useMemo(() => shuffledChannels(channels, g), [channels, g]);
  const sim = useSimulation(simulate, { guideline, seed: p.seed, backend }, { budget: guidelineSteps(REPEATS), autoplay: true, pace: { max: 1 }, converged: (f) => f.done });
  const t = sim.frame;
  const size = timingSize(backend);
  const rows = t?.rows ?? guidelineCases(guideline, size.scale).map((c) => ({ ...c, flops: NaN, mac: NaN, ms: NaN, samples: 0 }));
  const stage2 = STAGE2_CHANNELS[g];
  const unit = unitCost(stage2, stage2 / 4, g, 28);
  const status = t ? (t.done ? `all four cases timed on ${backend}` : `timing ${rows[Math.min(t.current, 3)].label} on ${backend} (${t.steps} of ${guidelineSteps(REPEATS)} runs)`) : '';

  return (
    <div className="shufflenet-demo">
      <ParamControls table={shufflenetParams} values={p} onChange={set} only={['g', 'n']} />
      <p className="plot-caption" data-testid="permutation">
        Shuffle of {channels} channels in {g} group{g > 1 ? 's' : ''} of {n}: reshape to ({g}, {n}), transpose to ({n}, {g}), flatten. Run as tfjs ops here, output positions 0, 1, 2, … take input channels {perm.join(', ')}.
      </p>
      <ChannelGraph label={`Two grouped 1×1 convolutions of ${channels} channels in ${g} groups without a shuffle: the first output channel sees ${plain.sees} of ${channels} inputs`} stages={plain.stages} links={plain.links} lit={plain.lit} groupOf={colourOf} gap={46} />
      <p className="plot-caption">
        Without a shuffle: the first output channel (strong lines) sees {plain.sees} of the {channels} input channels, its own group only.
      </p>
      <ChannelGraph label={`The same two layers with a channel shuffle between them: the first output channel sees ${mixed.sees} of ${channels} inputs`} stages={mixed.stages} links={mixed.links} lit={mixed.lit} groupOf={colourOf} gap={46} />
      <p className="plot-caption">
        With the shuffle: it sees {mixed.sees} of {channels}
        {g > 1 && n < g ? ` (n = ${n} < g = ${g}: one shuffle can bring in only ${n} of the ${g} groups)` : g > 1 ? ', every group' : ''}.
      </p>

      <table className="stats" data-testid="cost">
        <caption>ShuffleNet 1× counted layer by layer at 224×224, beside the paper&apos;s Tables 1–2 (million multiply-adds of the convolutions)</caption>
        <thead>
          <tr>
            <th scope="col">g</th>
            <th scope="col">stage-2 channels</th>
            <th scope="col">counted</th>
            <th scope="col">paper</th>
            <th scope="col">same widths, dense 1×1</th>
            <th scope="col">top-1 error (paper)</th>
          </tr>
        </thead>
        <tbody>
          {PAPER_SHUFFLENET.map((r) => {
            const c = shufflenetCost(r.g);
            return (
              <tr key={r.g} style={r.g === g ? { fontWeight: 700 } : undefined}>
                <th scope="row">{r.g}</th>
                <td>{STAGE2_CHANNELS[r.g]}</td>
                <td>{mega(c.convMacs)}</td>
                <td>{r.mflops}</td>
                <td>{mega(c.macsUngrouped - (c.macs - c.convMacs))}</td>
                <td>{r.top1Error.toFixed(1)} %</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="plot-caption">
        One stage-2 unit at g = {g} ({stage2} channels, bottleneck {stage2 / 4}, 28×28): ResNet&apos;s bottleneck hw(2cm + 9m²) = {mega(unit.resnet)} M, ResNeXt&apos;s hw(2cm + 9m²/g) = {mega(unit.resnext)} M, ShuffleNet&apos;s hw(2cm/g + 9m) = {mega(unit.shufflenet)} M
        multiply-adds.
      </p>

      <ParamControls table={shufflenetParams} values={p} onChange={set} only={['guideline']} />
      <Transport sim={sim} status={status} />
      <table className="stats" data-testid="timings">
        <caption>
          {guideline === 'g1' ? 'G1: two 1×1 convolutions c1 → c2 → c1' : 'G2: two grouped 1×1 convolutions c → c → c'} on a {size.side}×{size.side} map at (nearly) fixed FLOPs, timed here on {backend}: median of {REPEATS} runs; speeds relative to the first row
        </caption>
        <thead>
          <tr>
            <th scope="col">case</th>
            <th scope="col">c1, c2{guideline === 'g2' ? ', g' : ''}</th>
            <th scope="col">mult-adds (M)</th>
            <th scope="col">memory access (M values)</th>
            <th scope="col">ms here</th>
            <th scope="col">speed here</th>
            <th scope="col">paper GPU</th>
            <th scope="col">paper ARM</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>
                {r.c1}, {r.c2}
                {guideline === 'g2' ? `, ${r.g}` : ''}
              </td>
              <td>{Number.isFinite(r.flops) ? mega(r.flops) : '…'}</td>
              <td>{Number.isFinite(r.mac) ? (r.mac / 1e6).toFixed(2) : '…'}</td>
              <td>{ms(r.ms)}</td>
              <td>{rel(rows[0].ms / r.ms)}</td>
              <td>{rel(r.paperGpu / rows[0].paperGpu)}</td>
              <td>{rel(r.paperArm / rows[0].paperArm)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="plot-caption">
        The paper&apos;s columns are its measured speeds (GPU batches per second, ARM images per second) divided by the first row&apos;s. tfjs has no grouped convolution: G2&apos;s groups run as a split, one conv2d per group and a concatenation, which adds its own launches
        and copies. The whole network: <a href="/large-networks/architectures/?arch=shufflenet_v2_x1_0">ShuffleNet V2 1× in the architecture explorer</a>.
      </p>
    </div>
  );
}
