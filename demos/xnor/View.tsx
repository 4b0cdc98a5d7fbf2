'use client';
import type { tf } from '../runtime/tf';
import type { Simulation } from '../runtime/simulation';
import type { MnistArrays } from '../runtime/data/idx';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadModel, MODELS_BASE_URL } from '../runtime/data/models';
import { cnnWeights } from '../runtime/models/binary';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useSimulation } from '../ui/useSimulation';
import { useFrame } from '../ui/frame';
import { ParamControls } from '../ui/controls/ParamControls';
import { Transport } from '../ui/controls/Transport';
import { LoadProgress, progressParts } from '../ui/controls/LoadProgress';
import { conv2Arrays, createXnorDemo, demoSteps, type BinaryMode, type Networks, type XnorFrame } from './model';
import { xnorParams } from './params';
import { int, xnorStatus } from './display';
import { AccuracyTable, CostTable, FilterPanel, TimingTable } from './Panels';

const TEST_DIGITS = 1000;
/** Digits scored per step by each of the three networks: ~20 M multiply-adds each on WASM or WebGL keeps a step
 * within a frame's budget; the cpu backend runs convolutions in plain JavaScript, so it takes fewer. */
const batchFor = (backend: string) => (backend === 'cpu' ? 4 : 20);
const REPEATS = 5;
const NAMES: Record<BinaryMode, string> = { full: 'cnn', bwn: 'cnn-bwn', xnor: 'cnn-xnor' };

interface Loaded {
  nets: Networks;
  models: tf.LayersModel[];
  /** Each network's accuracy on all 10,000 test digits, as its training script measured it. */
  scriptAccuracy: Record<BinaryMode, number>;
  test: MnistArrays;
  conv2: Awaited<ReturnType<typeof conv2Arrays>>;
}

async function loadAll(signal: AbortSignal, onProgress: (f: number) => void): Promise<Loaded> {
  const report = progressParts(4, onProgress);
  const models: tf.LayersModel[] = [];
  try {
    const load = (m: BinaryMode, i: number) =>
      loadModel(NAMES[m], { baseUrl: MODELS_BASE_URL, signal, onProgress: report(i) }).then((r) => {
        models.push(r.model);
        return r;
      });
    const [full, bwn, xnor, test] = await Promise.all([
      load('full', 0),
      load('bwn', 1),
      load('xnor', 2),
      loadMnist({ split: 'test', count: TEST_DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: report(3).bytes }),
    ]);
    const nets = { full: cnnWeights(full.model), bwn: cnnWeights(bwn.model), xnor: cnnWeights(xnor.model) };
    return { nets, models, scriptAccuracy: { full: full.manifest.test.accuracy, bwn: bwn.manifest.test.accuracy, xnor: xnor.manifest.test.accuracy }, test, conv2: await conv2Arrays(nets.bwn) };
  } catch (e) {
    models.forEach((m) => m.dispose());
    throw e;
  }
}

/** The shipped CNN binarised (BWN, XNOR) beside full precision, its cost, and a bit-packed XNOR kernel timed here. */
export default function XnorView() {
  const res = useResource(loadAll, 'cnn+cnn-bwn+cnn-xnor+test', (v) => v.models.forEach((m) => m.dispose()));
  if (!res.value) {
    return (
      <div className="xnor-demo">
        <LoadProgress id="xnor-progress" what={`the shipped CNN, its two binarised versions and ${int(TEST_DIGITS)} test digits`} progress={res.progress} />
      </div>
    );
  }
  return <Loaded {...res.value} />;
}

function Loaded({ nets, scriptAccuracy, test, conv2 }: Loaded) {
  const { values: p, set } = useDemoParams(xnorParams);
  const { backend } = useFrame();
  const opts = { batch: batchFor(backend), repeats: REPEATS };
  const simulate = (q: { backend: string }): Simulation<XnorFrame> => createXnorDemo(nets, test, { ...opts, batch: batchFor(q.backend) });
  const sim = useSimulation(simulate, { backend }, { budget: demoSteps(test.count, opts), autoplay: true, pace: { max: 1 }, converged: (f) => f.done });
  const f = sim.frame;
  return (
    <div className="xnor-demo">
      <Transport sim={sim} status={xnorStatus(f, test.count, backend)} />
      <AccuracyTable f={f} backend={backend} scriptAccuracy={scriptAccuracy} />
      <ParamControls table={xnorParams} values={p} onChange={set} />
      <FilterPanel conv2={conv2} filter={p.filter} channel={p.channel} />
      <CostTable />
      <TimingTable medians={f?.timing?.medians} backend={backend} repeats={REPEATS} />
    </div>
  );
}
