'use client';
import { useEffect, useMemo, useState } from 'react';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadFlatModel, MODELS_BASE_URL } from '../runtime/data/models';
import type { Scene } from '../runtime/data/scenes';
import type { ParamValues } from '../runtime/params';
import { useResource } from '../ui/useResource';
import { useLatest } from '../ui/useLatest';
import { useEvaluated, useJob, useJobRun } from '../ui/useJob';
import { heldOutScenes, parameterCount, scoreMasks, segment, type SegmentationScore } from './model';
import { HELD_OUT, SHIPPED, TEST_DIGITS, type TrainInput, type TrainProgress } from './train';
import type { unetParams } from './params';

/** Held-out scenes shown at once. */
export const PER_PAGE = 4;

interface Inference {
  flat: Float32Array;
  scenes: Scene[];
  skips: boolean;
}
const infer = (q: Inference) => segment(q.flat, q.scenes, q.skips);
/** The scores of a network on every held-out scene of a seed (the table before any training), in batches of 25 scenes. */
const scoreAll = async (q: Inference & { seed: number }) => {
  const masks: Uint8Array[] = [];
  for (let i = 0; i < q.scenes.length; i += 25) masks.push(...(await segment(q.flat, q.scenes.slice(i, i + 25), q.skips)));
  return scoreMasks(masks, q.scenes);
};

/** The shipped U-Net and the test digits the held-out scenes are composed from, loaded together (both small). */
async function loadFirst(signal: AbortSignal, onProgress: (f: number) => void) {
  const [shipped, test] = await Promise.all([
    loadFlatModel(SHIPPED, parameterCount(), { baseUrl: MODELS_BASE_URL, signal }),
    loadMnist({ split: 'test', count: TEST_DIGITS, baseUrl: MNIST_BASE_URL, signal, onProgress: (l, t) => onProgress(l / t) }),
  ]);
  return { shipped, test };
}

/**
 * The U-Net half of the view: the shipped network first, then a run from scratch in the worker; a page of held-out
 * scenes segmented by the newest of the two; and the table of IoUs on all held-out scenes.
 */
export function useUnet(p: ParamValues<typeof unetParams>) {
  const first = useResource(loadFirst, 'first');
  const test = first.value?.test ?? null;
  const shipped = first.value?.shipped ?? null;
  const [page, setPage] = useState(0);
  const held = useMemo(() => (test ? heldOutScenes(test, (page + 1) * PER_PAGE, p.seed) : null), [test, page, p.seed]);
  const job = useJob<TrainInput, TrainProgress, TrainProgress>(() => new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module' }));
  const input: TrainInput = useMemo(() => ({ seed: p.seed, steps: Number(p.steps), skips: p.skips }), [p.seed, p.steps, p.skips]);
  const { run, start } = useJobRun(job, input);
  const runFlat = useEvaluated(run?.flat, run?.scoreAt.at(-1) ?? -1);
  const flat = runFlat ?? shipped?.flat ?? null;
  const latest = useLatest(held && flat ? infer : null);
  const { submit } = latest;
  useEffect(() => {
    if (held && flat) submit({ flat, scenes: held.slice(page * PER_PAGE, (page + 1) * PER_PAGE), skips: p.skips });
  }, [held, flat, page, p.skips, submit]);
  const scenes = latest.input?.scenes ?? [];
  const masks = latest.result ?? [];
  const shownScore = useMemo(() => (masks.length === scenes.length && scenes.length ? scoreMasks(masks, scenes) : null), [masks, scenes]);

  // The shipped network's table on all the held-out scenes: as its training job measured it (the manifest) on the
  // default seed's scenes with its skips; for another seed or with the skips cut, computed here after the first masks.
  const measured = shipped ? (shipped.manifest.test as unknown as SegmentationScore & { seed: number }) : null;
  const fromManifest = measured && measured.seed === p.seed && p.skips ? measured : null;
  const table = useLatest(scoreAll);
  const { submit: submitTable } = table;
  const firstShown = latest.result !== null;
  useEffect(() => {
    if (firstShown && test && shipped && !runFlat && !fromManifest) submitTable({ flat: shipped.flat, scenes: heldOutScenes(test, HELD_OUT, p.seed), skips: p.skips, seed: p.seed });
  }, [firstShown, test, shipped, runFlat, fromManifest, p.seed, p.skips, submitTable]);
  const computed = table.result && table.input?.flat === shipped?.flat && table.input?.skips === p.skips && table.input?.seed === p.seed ? table.result : null;

  return {
    /** Loading the shipped network and the test digits (`progress`); `shipped` once loaded. */
    progress: first.progress,
    shipped,
    held,
    page,
    nextPage: () => setPage((k) => (k + 1) % (HELD_OUT / PER_PAGE)),
    job,
    start,
    run,
    /** The run's parameters once it has evaluated (the page then shows them), else null (the shipped network). */
    runFlat,
    /** Inference on the page's scenes: its `count` is the frames the browser tests wait on. */
    latest,
    scenes,
    masks,
    shownScore,
    shippedTable: runFlat ? null : (fromManifest ?? computed),
  };
}
