/**
 * Training the U-Net (./model.ts) as a job for a Web Worker (./train.worker.ts): it loads MNIST training and test
 * digits, composes training scenes from the former and held-out scenes from the latter, trains with Adam in chunks
 * of ~150 ms, and every `evalEvery` steps scores per-class IoU and mean IoU on the held-out scenes. Each progress
 * message carries the loss and scores so far and the current parameters, with which the page draws its scenes'
 * masks. `npm run reproduce -- segmentation` runs this same generator in Node.
 * Pure: no React, no DOM.
 */
import { JobError, type JobProgress } from '../runtime/jobs/protocol';
import type { JobContext } from '../runtime/jobs/worker';
import { checkBudget, chunkedTraining, loadTrainTest } from '../runtime/jobs/training';
import { createSegmenter, DEFAULT_CONFIG, heldOutScenes, RECIPE, scoreMasks, type SegmenterConfig } from './model';

/** MNIST digits the job loads: training digits for training scenes, test digits for held-out scenes (the page's first state loads the same test digits). */
export const TRAIN_DIGITS = RECIPE.trainDigits;
export const TEST_DIGITS = 1_000;
/** The shipped U-Net the page shows first (public/models/unet-digits/, `npm run train -- unet-digits`). */
export const SHIPPED = 'unet-digits';
/** Held-out scenes the IoU is measured on. */
export const HELD_OUT = 100;

export interface TrainInput {
  seed: number;
  /** Steps of Adam (the budget). */
  steps: number;
  /** With the U-Net's skip connections, or zeros in their place. */
  skips: boolean;
  /** Scores every this many steps (and at the end). */
  evalEvery?: number;
}

export interface TrainProgress {
  steps: number;
  total: number;
  /** Mean training loss of each chunk, at `lossAt` steps. */
  loss: number[];
  lossAt: number[];
  /** Mean IoU and pixel accuracy on the held-out scenes, at `scoreAt` steps (0: the untrained network). */
  miou: number[];
  pixelAcc: number[];
  scoreAt: number[];
  /** IoU of each class (background, digits 0–9) at the last evaluation. */
  perClass: number[];
  /** The parameters now, for the page to draw masks with. */
  flat: Float32Array;
  /** Seconds of training so far (loading and evaluation excluded) and in all since the data was in. */
  trainSeconds: number;
  seconds: number;
}

const CHUNK = { targetMs: 150, min: 1, max: 20 };

export function configOf(input: TrainInput): SegmenterConfig {
  return { ...DEFAULT_CONFIG, seed: input.seed, skips: input.skips, total: input.steps };
}

/** The job: yields after every chunk of steps; returns the last progress. `fetchFn` reads the shards (Node: fileFetch). */
export async function* trainSegmenter(
  input: TrainInput,
  ctx: Pick<JobContext, 'signal'>,
  fetchFn: typeof fetch = fetch,
): AsyncGenerator<JobProgress<TrainProgress>, TrainProgress, undefined> {
  const { steps: total, seed } = input;
  checkBudget(total, seed);
  if (typeof input.skips !== 'boolean') throw new JobError('Say whether the U-Net has its skip connections.');
  const [train, test] = await loadTrainTest(TRAIN_DIGITS, TEST_DIGITS, fetchFn, ctx.signal);
  const t0 = performance.now();
  const held = heldOutScenes(test, HELD_OUT, seed);
  const net = createSegmenter(train, configOf(input));
  try {
    const p: TrainProgress = { steps: 0, total, loss: [], lossAt: [], miou: [], pixelAcc: [], scoreAt: [], perClass: [], flat: new Float32Array(0), trainSeconds: 0, seconds: 0 };
    yield* chunkedTraining(net, {
      total,
      evalEvery: input.evalEvery ?? 100,
      chunk: CHUNK,
      afterChunk(loss, ms) {
        p.trainSeconds += ms / 1000;
        p.loss.push(loss);
        p.lossAt.push(net.steps);
        p.steps = net.steps;
      },
      async evaluate() {
        const s = scoreMasks(await net.segment(held), held);
        p.miou.push(s.meanIou);
        p.pixelAcc.push(s.pixelAccuracy);
        p.scoreAt.push(net.steps);
        p.perClass = s.perClass;
        p.flat = await net.read();
      },
      snapshot() {
        p.seconds = (performance.now() - t0) / 1000;
        return { ...p, loss: p.loss.slice(), lossAt: p.lossAt.slice(), miou: p.miou.slice(), pixelAcc: p.pixelAcc.slice(), scoreAt: p.scoreAt.slice() };
      },
    });
    return p;
  } finally {
    net.dispose();
  }
}
