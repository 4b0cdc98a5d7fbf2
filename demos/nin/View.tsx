'use client';
import { useMemo } from 'react';
import { floatImages } from '../runtime/data/loader';
import { loadModel, MODELS_BASE_URL, type LoadedModel } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { progressParts } from '../ui/controls/LoadProgress';
import { useResource } from '../ui/useResource';
import { useComputed } from '../ui/useLatest';
import { useReady } from '../ui/useReady';
import { useTestDigits } from '../ui/digits/useTestDigits';
import { ParamControls } from '../ui/controls/ParamControls';
import { MapImage } from '../ui/plots/MapImage';
import { classMaps, extractMaps, mix1x1, trunk } from './model';
import { raceParams, mixParams, sizeParams } from './params';
import { MixPanel, mixWeights } from './MixPanel';
import { HeadRacePanel } from './HeadRace';
import { ClassMaps, HeadSizeTable } from './Panels';

interface Nets {
  cnn: LoadedModel;
  gap: LoadedModel;
}

async function loadNets(signal: AbortSignal, onProgress: (f: number) => void): Promise<Nets> {
  const part = progressParts(2, onProgress);
  const [cnn, gap] = await Promise.all((['cnn', 'cnn-gap'] as const).map((name, i) => loadModel(name, { baseUrl: MODELS_BASE_URL, signal, onProgress: part(i) })));
  return { cnn, gap };
}
const disposeNets = (n: Nets) => {
  n.cnn.model.dispose();
  n.gap.model.dispose();
};

/** Network in Network on the shipped CNNs: a 1×1 convolution, a head-size calculator, GAP against FC, class maps. */
export default function NinView() {
  const { values: r, set: setR } = useDemoParams(raceParams);
  const { values: m, set: setM } = useDemoParams(mixParams);
  const { values: s, set: setS } = useDemoParams(sizeParams);
  const nets = useResource(loadNets, 'cnn+cnn-gap', disposeNets).value;
  const test = useTestDigits(true);
  const testData = test.kind === 'ready' ? test.data : null;
  const conv1 = useMemo(() => (nets ? trunk(nets.cnn.model, 'conv1') : null), [nets]);
  const image = (d: number) => floatImages(testData!, d, d + 1);
  const shownDigit = useMemo(() => (testData ? floatImages(testData, r.digit, r.digit + 1) : null), [testData, r.digit]);
  const ok = conv1 !== null && testData !== null;

  // The digit's conv1 maps and the 1×1 filter over them, recomputed on every change (about a millisecond).
  const mixed = useComputed(
    async (q: { ok: boolean; digit: number; w: number[]; bias: number; relu: boolean }) => {
      if (!q.ok) return null;
      const maps = await extractMaps(conv1!, image(q.digit), 1);
      return { maps, out: await mix1x1(maps, [24, 24, 16], q.w, q.bias, q.relu) };
    },
    { ok, digit: r.digit, w: mixWeights(m), bias: m.bias, relu: m.relu },
  );
  // The first result: the digit's conv1 maps through the 1×1 filter (the race's frames come from its worker).
  useReady(mixed != null);
  // NiN's own head, trained end to end (cnn-gap): its ten class maps for the digit.
  const gapOut = useComputed(async (q: { ok: boolean; digit: number }) => (q.ok ? classMaps(nets!.gap.model, image(q.digit)) : null), { ok, digit: r.digit });

  return (
    <div className="nin-demo">
      <div className="toolbar" style={{ alignItems: 'flex-end' }}>
        {shownDigit && <MapImage values={shownDigit} width={28} height={28} zoom={2} label={`test digit ${r.digit}, a ${testData!.labels[r.digit]}`} />}
        <ParamControls table={raceParams} values={r} onChange={setR} only={['digit']} />
      </div>
      <MixPanel m={m} set={setM} maps={mixed?.maps ?? null} out={mixed?.out ?? null} />

      <section aria-label="Head sizes">
        <p className="demo-sub">2 · Parameters of the head, for your sizes</p>
        <ParamControls table={sizeParams} values={s} onChange={setS} />
        <HeadSizeTable sizes={s} />
      </section>

      <HeadRacePanel r={r} set={setR} />

      <section aria-label="Class maps of a network trained with a GAP head">
        <p className="demo-sub">4 · Trained end to end with the GAP head: one map per class</p>
        {gapOut && nets ? <ClassMaps out={gapOut} gap={nets.gap.manifest} cnn={nets.cnn.manifest} /> : <p className="status-line">loading…</p>}
      </section>
    </div>
  );
}
