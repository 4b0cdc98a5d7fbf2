/**
 * Training the keypoint network (./model.ts) as a job for a Web Worker (./train.worker.ts): it loads MNIST
 * training and test digits, composes training scenes from the former and held-out scenes from the latter, trains
 * with Adam in chunks of ~150 ms, and every `evalEvery` steps measures every held-out digit's keypoint error. Each
 * progress message carries the loss, PCK@0.1 so far, the normalised errors of the last evaluation (the page
 * computes PCK at any α from them) and the parameters of that evaluation, with which the page draws its heatmaps.
 * `npm run reproduce -- pose` runs this same generator in Node. Pure: no React, no DOM.
 */
import { JobError, type JobProgress } from '../runtime/jobs/protocol';
import { checkBudget, chunkedTraining, loadTrainTest } from '../runtime/jobs/training';
import type { JobContext } from '../runtime/jobs/worker';
import { createKeypointNet, DEFAULT_CONFIG, heldOutScenes, KEYPOINT_KINDS, keypointsFromHeatmaps, pck, type KeypointKind } from './model';

/**
 * 5,000 training digits compose the training scenes, the first 1,000 test digits the held-out ones: the data's
 * head shard (scripts/mnist-node.ts), small enough that the page's first heatmaps need not wait for a whole shard.
 */
export const TRAIN_DIGITS = 5_000;
export const TEST_DIGITS = 1_000;
/** Held-out scenes (about 400 digits) scored at every evaluation, and the α whose PCK is tracked over steps. */
export const HELD_OUT = 200;
export const TRACKED_ALPHA = 0.1;

/** A run: its seed, its budget in Adam steps, which keypoint, and the steps between evaluations (default 50). */
export interface TrainInput {
  seed: number;
  steps: number;
  keypoint: KeypointKind;
  evalEvery?: number;
}

export interface TrainProgress {
  steps: number;
  total: number;
  /** Mean training loss of each chunk, at `lossAt` steps. */
  loss: number[];
  lossAt: number[];
  /** PCK@TRACKED_ALPHA on the held-out digits at `pckAt` steps (0: the untrained network). */
  pck: number[];
  pckAt: number[];
  /** ‖pred − truth‖ / height of every held-out digit at the last evaluation. */
  normDists: Float32Array;
  /** The parameters of the last evaluation, for the page to draw heatmaps with. */
  flat: Float32Array;
  /** Seconds of training so far (loading and evaluation excluded), and in all since the data was in. */
  trainSeconds: number;
  seconds: number;
  /** Held-out digits. */
  digits: number;
}

const CHUNK = { targetMs: 150, min: 1, max: 40 };

/** The job: yields after every chunk of steps; returns the last progress. `fetchFn` reads the shards (Node: fileFetch). */
export async function* trainKeypoints(
  input: TrainInput,
  ctx: Pick<JobContext, 'signal'>,
  fetchFn: typeof fetch = fetch,
): AsyncGenerator<JobProgress<TrainProgress>, TrainProgress, undefined> {
  const { steps: total, seed, keypoint } = input;
  const evalEvery = input.evalEvery ?? 50;
  checkBudget(total, seed);
  if (!KEYPOINT_KINDS.includes(keypoint)) throw new JobError(`The keypoint must be one of ${KEYPOINT_KINDS.join(', ')} (got ${String(keypoint)}).`);
  const [train, test] = await loadTrainTest(TRAIN_DIGITS, TEST_DIGITS, fetchFn, ctx.signal);
  const t0 = performance.now();
  const held = heldOutScenes(test, HELD_OUT, seed);
  const net = createKeypointNet(train, { ...DEFAULT_CONFIG, seed, kind: keypoint, total });
  try {
    const p: TrainProgress = { steps: 0, total, loss: [], lossAt: [], pck: [], pckAt: [], normDists: new Float32Array(0), flat: new Float32Array(0), trainSeconds: 0, seconds: 0, digits: 0 };
    yield* chunkedTraining(net, {
      total,
      evalEvery,
      chunk: CHUNK,
      first: 2,
      afterChunk(loss, ms) {
        p.trainSeconds += ms / 1000;
        p.loss.push(loss);
        p.lossAt.push(net.steps);
        p.steps = net.steps;
      },
      async evaluate() {
        const found = keypointsFromHeatmaps(await net.heatmaps(held), held, keypoint).flat();
        p.normDists = Float32Array.from(found, (k) => k.normDist);
        p.digits = found.length;
        p.pck.push(pck(p.normDists, TRACKED_ALPHA));
        p.pckAt.push(net.steps);
        p.flat = await net.read();
      },
      snapshot() {
        p.seconds = (performance.now() - t0) / 1000;
        return { ...p, loss: p.loss.slice(), lossAt: p.lossAt.slice(), pck: p.pck.slice(), pckAt: p.pckAt.slice() };
      },
    });
    return p;
  } finally {
    net.dispose();
  }
}
