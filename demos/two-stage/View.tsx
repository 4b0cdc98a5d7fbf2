'use client';
import { MODELS_BASE_URL } from '../runtime/data/base-url';
import { loadShipped, type Shipped } from '../runtime/data/scene-set';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useReady } from '../ui/useReady';
import { LoadProgress } from '../ui/controls/LoadProgress';
import { twoStageParams } from './params';
import { Anchors } from './Anchors';
import { Pooling } from './Pooling';

/** The scenes (the page draws them; the worker loads its own copy, from the HTTP cache, with the CNN). */
const loadScenes = (signal: AbortSignal, onProgress: (f: number) => void): Promise<Shipped> => loadShipped(MODELS_BASE_URL, { signal }).finally(() => onProgress(1));

/** Two-stage detection: the RPN's anchors and labels, then RoI pooling against RoIAlign. */
export default function TwoStageView() {
  const res = useResource(loadScenes, 'two-stage-scenes');
  const { values: p, set } = useDemoParams(twoStageParams);
  // The anchors figure is the first result: it needs only the scenes. The pooling figure follows when its worker is up.
  useReady(res.value !== null);
  if (!res.value) return <LoadProgress id="two-stage-progress" what="the scenes" progress={res.progress} />;
  return (
    <div className="two-stage-demo">
      <Anchors shipped={res.value} p={p} set={set} />
      <Pooling shipped={res.value} p={p} set={set} />
    </div>
  );
}
