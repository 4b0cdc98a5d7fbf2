'use client';
import { MODELS_BASE_URL } from '../runtime/data/base-url';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { useResource } from '../ui/useResource';
import { useReady } from '../ui/useReady';
import { WhenNear } from '../ui/WhenNear';
import { LoadProgress } from '../ui/controls/LoadProgress';
import { loadShipped } from './model';
import { metricsParams } from './params';
import type { SetParam, Values } from './display';
import { IouPlayground } from './IouPlayground';
import { NmsStepper } from './NmsStepper';
import { Scores } from './Scores';

export default function DetectionMetricsView() {
  const { values: p, set } = useDemoParams(metricsParams);
  useReady(true); // the IoU playground, the first result, needs nothing loaded
  return (
    <div className="detection-metrics-demo">
      <IouPlayground p={p} set={set} />
      <WhenNear minHeight="120rem">
        <Detector p={p} set={set} />
      </WhenNear>
    </div>
  );
}

/** Parts 2 and 3, on the sliding-window detector's shipped output: loaded as the reader nears them. */
function Detector({ p, set }: { p: Values; set: SetParam }) {
  const res = useResource((signal) => loadShipped(MODELS_BASE_URL, { signal }), 'cnn-sliding-window');
  if (!res.value) return <LoadProgress id="detection-metrics-progress" what="the sliding-window detector's output" progress={res.progress} />;
  return (
    <>
      <NmsStepper shipped={res.value} p={p} set={set} />
      <WhenNear minHeight="75rem">
        <Scores shipped={res.value} p={p} set={set} />
      </WhenNear>
    </>
  );
}
