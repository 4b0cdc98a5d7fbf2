/**
 * Training the one-stage detector (./model.ts) as a job for a Web Worker (./train.worker.ts): it loads MNIST
 * training and test digits, composes training scenes from the former and held-out scenes from the latter,
 * trains with Adam in chunks of ~150 ms, and every `evalEvery` steps scores mAP@0.5 on the held-out scenes. Each
 * progress message carries the loss and mAP so far and the current parameters, with which the page draws its
 * scenes' detections. `npm run reproduce -- one-stage` runs this same generator in Node.
 * Pure: no React, no DOM.
 */
import type { JobContext } from '../runtime/jobs/worker';
import { checkBudget, chunkedTraining, loadTrainTest } from '../runtime/jobs/training';
import { JobError, type JobProgress } from '../runtime/jobs/protocol';
import { createDetector, DEFAULT_CONFIG, heldOutScenes, meanAp, type DetectorConfig } from './model';

/** MNIST digits the job loads: training digits for training scenes, test digits for held-out scenes. */
export const TRAIN_DIGITS = 10_000;
export const TEST_DIGITS = 5_000;
/** Held-out scenes the mAP is measured on. */
export const HELD_OUT = 200;

export interface TrainInput {
  seed: number;
  /** Steps of Adam (the budget). */
  steps: number;
  /** The focal loss's γ (0: α-balanced cross-entropy). */
  gamma: number;
  /** mAP every this many steps (and at the end). */
  evalEvery?: number;
}

export interface TrainProgress {
  steps: number;
  total: number;
  /** Mean training loss of each chunk, at `lossAt` steps. */
  loss: number[];
  lossAt: number[];
  /** mAP@0.5 on the held-out scenes, at `mapAt` steps (0: the untrained detector). */
  map: number[];
  mapAt: number[];
  /** AP@0.5 of each class at the last evaluation. */
  perClass: number[];
  /** The parameters now, for the page to draw detections with. */
  flat: Float32Array;
  /** Seconds of training so far (loading and evaluation excluded) and in all since the data was in. */
  trainSeconds: number;
  seconds: number;
  /** Objects lost to the grid because two centres fell in one cell, of all training objects. */
  collisions: number;
  objects: number;
}

const CHUNK = { targetMs: 150, min: 1, max: 50 };

export function configOf(input: TrainInput): DetectorConfig {
  return { ...DEFAULT_CONFIG, seed: input.seed, gamma: input.gamma, total: input.steps };
}

/** The job: yields after every chunk of steps; returns the last progress. `fetchFn` reads the shards (Node: fileFetch). */
export async function* trainDetector(
  input: TrainInput,
  ctx: Pick<JobContext, 'signal'>,
  fetchFn: typeof fetch = fetch,
): AsyncGenerator<JobProgress<TrainProgress>, TrainProgress, undefined> {
  const { steps: total, seed, gamma } = input;
  const evalEvery = input.evalEvery ?? 100;
  checkBudget(total, seed);
  if (!(gamma >= 0 && gamma <= 5)) throw new JobError(`γ must be between 0 and 5 (got ${gamma}).`);
  const [train, test] = await loadTrainTest(TRAIN_DIGITS, TEST_DIGITS, fetchFn, ctx.signal);
  const t0 = performance.now();
  const held = heldOutScenes(test, HELD_OUT, seed);
  const det = createDetector(train, configOf(input));
  try {
    const p: TrainProgress = { steps: 0, total, loss: [], lossAt: [], map: [], mapAt: [], perClass: [], flat: new Float32Array(0), trainSeconds: 0, seconds: 0, collisions: det.collisions, objects: det.objects };
    yield* chunkedTraining(det, {
      total,
      evalEvery,
      chunk: CHUNK,
      first: 2,
      afterChunk(loss, ms) {
        p.trainSeconds += ms / 1000;
        p.loss.push(loss);
        p.lossAt.push(det.steps);
        p.steps = det.steps;
      },
      async evaluate() {
        const { detections } = await det.detect(held);
        const m = meanAp(detections, held);
        p.map.push(m.map);
        p.mapAt.push(det.steps);
        p.perClass = m.perClass;
        p.flat = await det.read();
      },
      snapshot() {
        p.seconds = (performance.now() - t0) / 1000;
        return { ...p, loss: p.loss.slice(), lossAt: p.lossAt.slice(), map: p.map.slice(), mapAt: p.mapAt.slice() };
      },
    });
    return p;
  } finally {
    det.dispose();
  }
}
