/**
 * Training the STN and the plain CNN (./model.ts) as a job for a Web Worker (./train.worker.ts): it loads MNIST
 * training and test digits, trains both networks in lockstep on freshly distorted training digits in chunks of
 * ~150 ms, and every `evalEvery` steps scores both on the same held-out distorted test digits. Each progress
 * message carries the curves and the current parameters, with which the page rectifies its held-out digits.
 * `npm run reproduce -- stn` runs this same generator in Node. Pure: no React, no DOM.
 */
import { floatImages, loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { JobError, nextChunkSize, type JobProgress } from '../runtime/jobs/protocol';
import type { JobContext } from '../runtime/jobs/worker';
import { createStnRace, DEFAULT_RACE, distortedSet } from './model';

/** Training digits the job loads (the first 10,000) and held-out test digits it scores on. */
export const TRAIN_DIGITS = 10_000;
export const HELD_OUT = 1000;

export interface TrainInput {
  seed: number;
  /** Adam steps of 32 digits (the budget, the same for both networks). */
  steps: number;
  /** Held-out accuracy every this many steps (and at the end). */
  evalEvery?: number;
  /** Held-out test digits scored (default {@link HELD_OUT}; tests use fewer). */
  heldOut?: number;
  /** Training digits drawn from (default {@link TRAIN_DIGITS}; tests use fewer). */
  trainDigits?: number;
}

export interface TrainProgress {
  steps: number;
  total: number;
  /** Mean training loss of each chunk, per network, at `lossAt` steps. */
  lossStn: number[];
  lossPlain: number[];
  lossAt: number[];
  /** Held-out accuracy of each network at `accAt` steps (0: untrained). */
  accStn: number[];
  accPlain: number[];
  accAt: number[];
  /** Both networks' parameters now (flat, the trainer's order). */
  flat: Float32Array;
  /** Seconds of training (evaluation excluded) and in all since the data was in. */
  trainSeconds: number;
  seconds: number;
}

const CHUNK = { targetMs: 150, min: 1, max: 40 };

/** The job: yields after every chunk of steps; returns the last progress. `fetchFn` reads the shards (Node: fileFetch). */
export async function* trainStn(
  input: TrainInput,
  ctx: Pick<JobContext, 'signal'>,
  fetchFn: typeof fetch = fetch,
): AsyncGenerator<JobProgress<TrainProgress>, TrainProgress, undefined> {
  const { steps: total, seed } = input;
  const evalEvery = input.evalEvery ?? 100;
  if (!Number.isInteger(total) || total < 1 || total > 20_000) throw new JobError(`Choose between 1 and 20,000 steps (got ${total}).`);
  if (!Number.isInteger(seed)) throw new JobError(`The seed must be a whole number (got ${seed}).`);
  const heldOut = input.heldOut ?? HELD_OUT;
  if (!Number.isInteger(heldOut) || heldOut < 1 || heldOut > HELD_OUT) throw new JobError(`Score on 1 to ${HELD_OUT} held-out digits (got ${heldOut}).`);
  const [train, test] = await Promise.all([
    loadMnist({ split: 'train', count: Math.min(TRAIN_DIGITS, input.trainDigits ?? TRAIN_DIGITS), baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
    loadMnist({ split: 'test', count: HELD_OUT, baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
  ]);
  const t0 = performance.now();
  const held = distortedSet(floatImages(test, 0, heldOut), test.labels.subarray(0, heldOut), seed);
  const race = createStnRace(floatImages(train, 0, train.count), train.labels.subarray(0, train.count), { ...DEFAULT_RACE, seed });
  try {
    const p: TrainProgress = { steps: 0, total, lossStn: [], lossPlain: [], lossAt: [], accStn: [], accPlain: [], accAt: [], flat: new Float32Array(0), trainSeconds: 0, seconds: 0 };
    const evaluate = async () => {
      const a = await race.accuracy(held);
      p.accStn.push(a.stn);
      p.accPlain.push(a.plain);
      p.accAt.push(race.steps);
      p.flat = await race.read();
    };
    await evaluate();
    p.seconds = (performance.now() - t0) / 1000;
    yield { fraction: 0, partial: snapshot(p) };
    for (let size = 2; race.steps < total; ) {
      const nextEval = Math.min(total, (Math.floor(race.steps / evalEvery) + 1) * evalEvery);
      const n = Math.min(size, nextEval - race.steps);
      const t = performance.now();
      const loss = await race.train(n);
      const ms = performance.now() - t;
      p.trainSeconds += ms / 1000;
      size = nextChunkSize(n, ms, CHUNK);
      p.lossStn.push(loss.stn);
      p.lossPlain.push(loss.plain);
      p.lossAt.push(race.steps);
      p.steps = race.steps;
      if (race.steps === nextEval) await evaluate();
      p.seconds = (performance.now() - t0) / 1000;
      yield { fraction: race.steps / total, partial: snapshot(p) };
    }
    return p;
  } finally {
    race.dispose();
  }
}

function snapshot(p: TrainProgress): TrainProgress {
  return { ...p, lossStn: p.lossStn.slice(), lossPlain: p.lossPlain.slice(), lossAt: p.lossAt.slice(), accStn: p.accStn.slice(), accPlain: p.accPlain.slice(), accAt: p.accAt.slice() };
}
