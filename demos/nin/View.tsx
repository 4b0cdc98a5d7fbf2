'use client';
import { useMemo } from 'react';
import type { History, Simulation } from '../runtime/simulation';
import type { ParamValues } from '../runtime/params';
import type { tf } from '../runtime/tf';
import type { MnistArrays } from '../runtime/data/idx';
import { floatImages, loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadModel, MODELS_BASE_URL, type LoadedModel } from '../runtime/data/models';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useComputed } from '../ui/useLatest';
import { useSimulation } from '../ui/useSimulation';
import { useTestDigits } from '../ui/digits/useTestDigits';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { Chart } from '../ui/plots/Chart';
import { MapImage } from '../ui/plots/MapImage';
import { SERIES } from '../ui/plots/palette';
import { BODY, classMaps, createHeadRace, DEFAULT_RACE, runLength, extractMaps, fcHeadParams, gapHeadParams, mix1x1, trunk, type DigitSet, type HeadFrame } from './model';
import { raceParams, mixParams, sizeParams, TEST_DIGITS, TRAIN_DIGITS } from './params';
import { MixPanel, mixWeights } from './MixPanel';

type Race = ParamValues<typeof raceParams>;
interface Nets {
  cnn: LoadedModel;
  gap: LoadedModel;
}
const TOTAL = DEFAULT_RACE.total;
const LENGTH = runLength(TRAIN_DIGITS, TEST_DIGITS);
const GAP = SERIES[0];
const FC = SERIES[1];
const int = (n: number) => n.toLocaleString('en');
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

async function loadNets(signal: AbortSignal, onProgress: (f: number) => void): Promise<Nets> {
  const p = [0, 0];
  const [cnn, gap] = await Promise.all(
    (['cnn', 'cnn-gap'] as const).map((name, i) => loadModel(name, { baseUrl: MODELS_BASE_URL, signal, onProgress: (f) => onProgress(((p[i] = f), (p[0] + p[1]) / 2)) })),
  );
  return { cnn, gap };
}
const disposeNets = (n: Nets) => {
  n.cnn.model.dispose();
  n.gap.model.dispose();
};
const loadTrain = (signal: AbortSignal, onProgress: (f: number) => void) =>
  loadMnist({ split: 'train', count: TRAIN_DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: (l, t) => onProgress(l / t) });
const digitSet = (d: MnistArrays, count: number): DigitSet => ({ images: floatImages(d, 0, count), labels: d.labels.subarray(0, count), count });

function record(f: HeadFrame, h: History) {
  if (!f.accuracy || f.measuredAt !== f.trained || f.loss === null) return;
  h.push('step', f.trained);
  h.push('gap', f.accuracy[0]);
  h.push('fc', f.accuracy[1]);
}

/** The GAP head and the FC head trained side by side on the shipped CNN's frozen pool2 maps. */
function HeadRacePanel({ body, train, test, r, set }: { body: tf.LayersModel; train: DigitSet; test: DigitSet; r: Race; set: <K extends keyof Race>(k: K, v: Race[K]) => void }) {
  const simulate = (q: { micro: string; lr: number; seed: number }): Simulation<HeadFrame> => createHeadRace(body, train, test, { micro: Number(q.micro), lr: q.lr, seed: q.seed });
  const sim = useSimulation(simulate, { micro: r.micro, lr: r.lr, seed: r.seed }, { budget: LENGTH, autoplay: true, record, converged: (f) => f.trained >= TOTAL });
  const f = sim.frame;
  const h = sim.history;
  const micro = Number(r.micro);
  const gapParams = gapHeadParams({ channels: 32, classes: 10 }, micro);
  const fcParams = fcHeadParams({ side: 4, channels: 32, classes: 10, hidden: 0, layers: 1 });
  const status = !f ? '' : f.extracted < 1 ? `extracting the frozen pool2 maps: ${Math.round(100 * f.extracted)} %` : `Adam step ${f.trained} of ${TOTAL} on ${int(TRAIN_DIGITS)} digits`;
  return (
    <section aria-label="A GAP head against a fully connected head">
      <p className="demo-sub">3 · Two heads on the shipped CNN&apos;s frozen 4×4×32 pool2 maps</p>
      <ParamControls table={raceParams} values={r} onChange={set} only={['micro', 'lr', 'seed']} />
      <Transport sim={sim} status={status} />
      <Chart
        label={`Test accuracy on ${TEST_DIGITS} digits: GAP head (${int(gapParams)} parameters) against FC head (${int(fcParams)})`}
        height={190}
        x={h.values('step')}
        xLabel="Adam step"
        yLabel="test accuracy"
        yMin={0}
        yMax={1}
        series={[
          { label: `GAP head, ${int(gapParams)} parameters`, color: GAP, values: h.values('gap') },
          { label: `FC head, ${int(fcParams)} parameters`, color: FC, values: h.values('fc') },
        ]}
      />
      {f?.accuracy && (
        <p className="plot-caption">
          After {f.measuredAt} steps: GAP head {pct(f.accuracy[0])}, FC head {pct(f.accuracy[1])}. These maps were trained for the CNN&apos;s own dense layers.
        </p>
      )}
    </section>
  );
}

/** Network in Network on the shipped CNNs: a 1×1 convolution, a head-size calculator, GAP against FC, class maps. */
export default function NinView() {
  const { values: r, set: setR } = useDemoParams(raceParams);
  const { values: m, set: setM } = useDemoParams(mixParams);
  const { values: s, set: setS } = useDemoParams(sizeParams);
  const nets = useResource(loadNets, 'cnn+cnn-gap', disposeNets).value;
  const train = useResource(loadTrain, 'train').value;
  const test = useTestDigits(true);
  const testData = test.kind === 'ready' ? test.data : null;
  const trunks = useMemo(() => (nets ? { conv1: trunk(nets.cnn.model, 'conv1'), body: trunk(nets.cnn.model, BODY) } : null), [nets]);
  const sets = useMemo(() => (train && testData ? { train: digitSet(train, TRAIN_DIGITS), test: digitSet(testData, TEST_DIGITS) } : null), [train, testData]);
  const image = (d: number) => floatImages(testData!, d, d + 1);
  const shownDigit = useMemo(() => (testData ? floatImages(testData, r.digit, r.digit + 1) : null), [testData, r.digit]);
  const ok = trunks !== null && testData !== null;

  // The digit's conv1 maps and the 1×1 filter over them, recomputed on every change (about a millisecond).
  const mixed = useComputed(
    async (q: { ok: boolean; digit: number; w: number[]; bias: number; relu: boolean }) => {
      if (!q.ok) return null;
      const maps = await extractMaps(trunks!.conv1, image(q.digit), 1);
      return { maps, out: await mix1x1(maps, [24, 24, 16], q.w, q.bias, q.relu) };
    },
    { ok, digit: r.digit, w: mixWeights(m), bias: m.bias, relu: m.relu },
  );
  // NiN's own head, trained end to end (cnn-gap): its ten class maps for the digit.
  const gapOut = useComputed(async (q: { ok: boolean; digit: number }) => (q.ok ? classMaps(nets!.gap.model, image(q.digit)) : null), { ok, digit: r.digit });

  const label = testData ? testData.labels[r.digit] : null;
  const fc = fcHeadParams(s);
  const gap = gapHeadParams(s);
  const top = gapOut ? gapOut.probs.indexOf(Math.max(...gapOut.probs)) : -1;
  const cnnM = nets?.cnn.manifest;
  const gapM = nets?.gap.manifest;

  return (
    <div className="nin-demo">
      <div className="toolbar" style={{ alignItems: 'flex-end' }}>
        {shownDigit && <MapImage values={shownDigit} width={28} height={28} zoom={2} label={`test digit ${r.digit}, a ${label}`} />}
        <ParamControls table={raceParams} values={r} onChange={setR} only={['digit']} />
      </div>
      <MixPanel m={m} set={setM} maps={mixed?.maps ?? null} out={mixed?.out ?? null} />

      <section aria-label="Head sizes">
        <p className="demo-sub">2 · Parameters of the head, for your sizes</p>
        <ParamControls table={sizeParams} values={s} onChange={setS} />
        <table className="stats">
          <caption>
            Last maps {s.side}×{s.side}×{int(s.channels)}, {int(s.classes)} classes
          </caption>
          <thead>
            <tr>
              <th scope="col">head</th>
              <th scope="col">parameters</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row" style={{ textAlign: 'left' }}>
                fully connected: flatten → {s.hidden > 0 ? `${s.layers} × ${int(s.hidden)} → ` : ''}
                {int(s.classes)}
              </th>
              <td>{int(fc)}</td>
            </tr>
            <tr>
              <th scope="row" style={{ textAlign: 'left' }}>
                NiN: 1×1 conv {int(s.channels)} → {int(s.classes)}, global average pooling
              </th>
              <td>{int(gap)}</td>
            </tr>
            <tr>
              <th scope="row" style={{ textAlign: 'left' }}>
                ratio
              </th>
              <td>{(fc / gap).toFixed(fc / gap >= 10 ? 0 : 1)}×</td>
            </tr>
          </tbody>
        </table>
      </section>

      {trunks && sets ? (
        <HeadRacePanel body={trunks.body} train={sets.train} test={sets.test} r={r} set={setR} />
      ) : (
        <p className="status-line">loading the shipped networks and {int(TRAIN_DIGITS)} training digits…</p>
      )}

      <section aria-label="Class maps of a network trained with a GAP head">
        <p className="demo-sub">4 · Trained end to end with the GAP head: one map per class</p>
        {gapOut && gapM && cnnM ? (
          <>
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(4.2rem, 1fr))', gap: '0.4rem' }}>
              {Array.from({ length: 10 }, (_, k) => (
                <MapImage
                  key={k}
                  values={gapOut.maps}
                  channel={k}
                  channels={10}
                  width={gapOut.shape[1]}
                  height={gapOut.shape[0]}
                  zoom={7}
                  scale={Math.max(...gapOut.maps) || 1}
                  label={`class map for ${k}`}
                  caption={`${k}: ${pct(gapOut.probs[k])}${k === top ? ' ◀' : ''}`}
                />
              ))}
            </div>
            <p className="plot-caption">
              cnn-gap ({int(gapM.params)} parameters, {pct(gapM.test.accuracy)} on the 10,000 test digits) against the shipped cnn with dense layers ({int(cnnM.params)} parameters,{' '}
              {pct(cnnM.test.accuracy)}). One scale for all ten maps; the probabilities are the softmax of their means.
            </p>
          </>
        ) : (
          <p className="status-line">loading…</p>
        )}
      </section>
    </div>
  );
}
