'use client';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { TrainingSection } from '../ui/controls/TrainingSection';
import { useReady } from '../ui/useReady';
import { Chart } from '../ui/plots/Chart';
import { SERIES } from '../ui/plots/palette';
import { VIS_IN, type ConvGeometry, type ConvKind } from './model';
import { HELD_OUT, TEST_DIGITS } from './train';
import { convParams, unetParams } from './params';
import { fmt, trainingStatus, whoSegments } from './display';
import { ConvPanel, useConnectivity } from './ConvPanel';
import { IouTable, Legend, MaskView } from './Masks';
import { PER_PAGE, useUnet } from './useUnet';
import { formatNumber } from '../ui/plots/scale';

/** Which input pixels feed which output pixels of transposed and dilated convolutions; a tiny U-Net trained in a worker. */
export default function SegmentationView() {
  const { values: c, set: setConv } = useDemoParams(convParams);
  const { values: p, set } = useDemoParams(unetParams);

  // The visualiser.
  const kind = c.kind as ConvKind;
  const g: ConvGeometry = { kind, inSize: VIS_IN[kind], kernel: c.kernel, stride: c.stride, dilation: c.dilation, padding: c.padding };
  const { problem, conn: shownConn } = useConnectivity(g);

  // The U-Net: the shipped network first, then a run from scratch in the worker.
  const { progress, shipped, held, page, nextPage, job, start, run, runFlat, latest, scenes, masks, shownScore, shippedTable } = useUnet(p);
  useReady(latest.result !== null && (shownConn !== null || problem !== null));

  const lastAt = run?.scoreAt.at(-1);
  const who = whoSegments(run, runFlat !== null, shipped ? Number(shipped.manifest.training.steps) : undefined);
  const status = trainingStatus(run, job.result !== null, job.state === 'running');

  return (
    <div className="segmentation-demo">
      <section aria-label="Which input pixels feed an output pixel">
        <ParamControls table={convParams} values={c} onChange={setConv} />
        {problem ? (
          <p role="alert">{problem}</p>
        ) : shownConn ? (
          <ConvPanel g={g} conn={shownConn} pick={c.pick as [number, number]} onPick={(col, row) => setConv('pick', [col, row])} />
        ) : null}
        <p className="plot-caption">
          Computed by running tf.{kind === 'transposed' ? 'conv2dTranspose' : 'conv2d with dilations'} with a kernel of ones on {VIS_IN[kind] ** 2} one-hot
          images (one per input pixel) and on an image of ones (the counts).
        </p>
      </section>

      <section aria-label="A U-Net trained in your browser" style={{ marginTop: '0.8rem', paddingTop: '0.6rem', borderTop: '1px solid var(--line)' }}>
        <div className="toolbar" data-frames={latest.count} data-running="0">
          <button type="button" data-action="step" onClick={nextPage}>
            Next scenes
          </button>
          <span className="status-line">
            held-out scenes {page * PER_PAGE + 1}–{(page + 1) * PER_PAGE} of {HELD_OUT}, the U-Net {who}
            {!p.skips ? ', its skips cut' : ''}
            {shownScore ? ` · mean IoU on these ${scenes.length}: ${fmt(shownScore.meanIou)}` : ''}
          </span>
        </div>
        <div style={{ display: 'grid', gridTemplateColumns: `repeat(${PER_PAGE}, minmax(0, 1fr))`, gap: '0.3rem 0.5rem', maxWidth: '40rem' }}>
          {scenes.map((s, i) => (
            <MaskView key={`i${page}-${i}`} scene={s} mask={null} title={`Held-out scene ${page * PER_PAGE + i + 1}: digits ${s.objects.map((o) => o.cls).join(', ')}`} />
          ))}
          {scenes.map((s, i) => (
            <MaskView key={`t${page}-${i}`} scene={s} mask={s.mask} title={`Its true mask: ${s.objects.map((o) => o.cls).join(', ')}`} />
          ))}
          {scenes.map((s, i) => (
            <MaskView key={`p${page}-${i}`} scene={s} mask={masks[i] ?? null} title={`The U-Net's mask of scene ${page * PER_PAGE + i + 1}`} />
          ))}
        </div>
        {!held && <p className="status-line">Loading the shipped U-Net and {formatNumber(TEST_DIGITS)} test digits… {Math.round(100 * progress)} %</p>}
        <p className="plot-caption">Rows: the scene, its true mask, the U-Net’s mask (each pixel’s most probable class).</p>
        <Legend />
        {runFlat && run && run.perClass.length > 0 ? (
          <IouTable perClass={run.perClass} mean={run.miou.at(-1) ?? NaN} caption={`IoU of each class on the ${HELD_OUT} held-out scenes, the run from scratch at step ${lastAt}`} />
        ) : shippedTable ? (
          <IouTable perClass={shippedTable.perClass} mean={shippedTable.meanIou} caption={`IoU of each class on the ${HELD_OUT} held-out scenes, the shipped U-Net${p.skips ? '' : ' with its skips cut'} · pixel accuracy ${fmt(shippedTable.pixelAccuracy)}`} />
        ) : null}

        <TrainingSection label="Train the U-Net" startLabel="Train from scratch" table={unetParams} values={p} onChange={set} job={job} onStart={start} status={status}>
          <Chart
            label={`Mean IoU on ${HELD_OUT} held-out scenes`}
            series={[
              { label: 'mean IoU', color: SERIES[2], values: run?.miou ?? [] },
              { label: 'pixel accuracy', color: SERIES[7], values: run?.pixelAcc ?? [] },
            ]}
            x={run?.scoreAt ?? []}
            xLabel="step"
            yLabel="score"
            yMin={0}
            yMax={1}
            height={180}
          />
          <Chart label="Training loss (weighted pixel-wise cross-entropy)" series={[{ label: 'loss', color: SERIES[0], values: run?.loss ?? [] }]} x={run?.lossAt ?? []} xLabel="step" log height={180} />
        </TrainingSection>
      </section>
    </div>
  );
}
