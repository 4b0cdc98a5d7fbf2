/**
 * Training the two restoration networks (./model.ts) as a job for a Web Worker (./train.worker.ts): it loads
 * MNIST training digits (for the batches) and test digits (the held-out set and the denoiser's BN batch), trains
 * ESPCN and the denoiser side by side with Adam in chunks of ~150 ms, and every `evalEvery` steps scores both on
 * the held-out digits: PSNR and SSIM of ESPCN against bicubic, and of the denoiser against its noisy input. Each
 * progress message carries the curves and both networks' parameters, with which the page redraws its digits.
 * `npm run reproduce -- super-resolution` runs this same generator in Node. Pure: no React, no DOM.
 */
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { JobError, nextChunkSize, type JobProgress } from '../runtime/jobs/protocol';
import type { JobContext } from '../runtime/jobs/worker';
import { calibration, CALIB, CALIB_START, createRestorers, DEFAULT_CONFIG, heldOut, hrSide, score, SIDE, type Scale } from './model';

/** Training digits the batches are drawn from; test digits loaded (the held-out set and the BN batch). */
export const TRAIN_DIGITS = 5_000;
export const TEST_DIGITS = CALIB_START + CALIB;
/** Held-out test digits the metrics are averaged over. */
export const HELD_OUT = 100;

export interface TrainInput {
  seed: number;
  /** Steps of Adam for each network (the budget). */
  steps: number;
  scale: Scale;
  /** Noise deviation on the 0–255 scale. */
  sigma: number;
  /** Scores every this many steps (and at the end). */
  evalEvery?: number;
}

/** Mean PSNR (dB) and SSIM over the held-out digits. */
export interface Quality {
  psnr: number;
  ssim: number;
}

export interface TrainProgress {
  steps: number;
  total: number;
  /** Mean training MSE of each chunk, at `lossAt` steps. */
  srLoss: number[];
  dnLoss: number[];
  lossAt: number[];
  /** The networks' held-out PSNR and SSIM at `evalAt` steps (0: untrained). */
  sr: Quality[];
  dn: Quality[];
  evalAt: number[];
  /**
   * The baselines: bicubic against the high-resolution digit; the noisy input against the clean one, as it is
   * and clipped to [0, 1] (clipping alone removes the noise that leaves the range, half of it on the black
   * background, and the networks' outputs are clipped too).
   */
  bicubic: Quality;
  noisy: Quality;
  clipped: Quality;
  /** Parameters now, for the page to draw with. */
  srFlat: Float32Array;
  dnFlat: Float32Array;
  /** Seconds of training so far (loading and scoring excluded) and in all since the data was in. */
  trainSeconds: number;
  seconds: number;
}

const CHUNK = { targetMs: 150, min: 1, max: 20 };

const quality = (s: { meanPsnr: number; meanSsim: number }): Quality => ({ psnr: s.meanPsnr, ssim: s.meanSsim });

/** The job: yields after every chunk of steps; returns the last progress. `fetchFn` reads the shards (Node: fileFetch). */
export async function* trainRestorers(
  input: TrainInput,
  ctx: Pick<JobContext, 'signal'>,
  fetchFn: typeof fetch = fetch,
): AsyncGenerator<JobProgress<TrainProgress>, TrainProgress, undefined> {
  const { steps: total, seed, scale, sigma } = input;
  const evalEvery = input.evalEvery ?? 50;
  if (!Number.isInteger(total) || total < 1 || total > 5_000) throw new JobError(`Choose between 1 and 5,000 steps (got ${total}).`);
  if (!Number.isInteger(seed)) throw new JobError(`The seed must be a whole number (got ${seed}).`);
  if (scale !== 2 && scale !== 3) throw new JobError(`The scale must be ×2 or ×3 (got ${scale}).`);
  if (!(sigma >= 0 && sigma <= 100)) throw new JobError(`σ must be between 0 and 100 (got ${sigma}).`);
  const [train, test] = await Promise.all([
    loadMnist({ split: 'train', count: TRAIN_DIGITS, baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
    loadMnist({ split: 'test', count: TEST_DIGITS, baseUrl: MNIST_BASE_URL, fetch: fetchFn, signal: ctx.signal }),
  ]);
  const t0 = performance.now();
  const set = heldOut(test, HELD_OUT, scale, sigma, seed);
  const calib = calibration(test, sigma, seed);
  const hs = hrSide(scale);
  const nets = createRestorers(train, { ...DEFAULT_CONFIG, seed, scale, sigma, total });
  try {
    const p: TrainProgress = {
      steps: 0,
      total,
      srLoss: [],
      dnLoss: [],
      lossAt: [],
      sr: [],
      dn: [],
      evalAt: [],
      bicubic: quality(score(set.bicubic, set.hr, HELD_OUT, hs)),
      noisy: quality(score(set.noisy, set.clean, HELD_OUT, SIDE)),
      clipped: quality(score(set.noisy.map((v) => Math.min(1, Math.max(0, v))), set.clean, HELD_OUT, SIDE)),
      srFlat: new Float32Array(0),
      dnFlat: new Float32Array(0),
      trainSeconds: 0,
      seconds: 0,
    };
    const evaluate = async () => {
      const out = await nets.restore(set, calib);
      p.sr.push(quality(score(out.sr, set.hr, HELD_OUT, hs)));
      p.dn.push(quality(score(out.dn, set.clean, HELD_OUT, SIDE)));
      p.evalAt.push(nets.steps);
      const flats = await nets.read();
      p.srFlat = flats.sr;
      p.dnFlat = flats.dn;
    };
    const snapshot = (): TrainProgress => ({ ...p, srLoss: p.srLoss.slice(), dnLoss: p.dnLoss.slice(), lossAt: p.lossAt.slice(), sr: p.sr.slice(), dn: p.dn.slice(), evalAt: p.evalAt.slice() });
    await evaluate();
    p.seconds = (performance.now() - t0) / 1000;
    yield { fraction: 0, partial: snapshot() };
    for (let size = 2; nets.steps < total; ) {
      const nextEval = Math.min(total, (Math.floor(nets.steps / evalEvery) + 1) * evalEvery);
      const n = Math.min(size, nextEval - nets.steps);
      const t = performance.now();
      const loss = await nets.train(n);
      const ms = performance.now() - t;
      p.trainSeconds += ms / 1000;
      size = nextChunkSize(n, ms, CHUNK);
      p.srLoss.push(loss.sr);
      p.dnLoss.push(loss.dn);
      p.lossAt.push(nets.steps);
      p.steps = nets.steps;
      if (nets.steps === nextEval) await evaluate();
      p.seconds = (performance.now() - t0) / 1000;
      yield { fraction: nets.steps / total, partial: snapshot() };
    }
    return p;
  } finally {
    nets.dispose();
  }
}
