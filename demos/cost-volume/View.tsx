'use client';
import { useDemoParams } from '../ui/controls/useDemoParams';
import { ParamControls } from '../ui/controls/ParamControls';
import { useReady } from '../ui/useReady';
import { useThemeColors } from '../ui/plots/useTheme';
import type { CostKind } from './model';
import { COLOR, readPixel } from './display';
import { CostGrid, EpeTable, EVERY, FrameCanvas, TrueShifts } from './Panels';
import { costVolumeParams } from './params';
import { useMatchedFrames } from './useMatchedFrames';

/** Two frames, the cost volume of patch matches by tfjs ops, its winner-take-all flow and the end-point error. */
export default function CostVolumeView() {
  const { values: p, set } = useDemoParams(costVolumeParams);
  const colors = useThemeColors();
  const { digits, frames, match } = useMatchedFrames(p.seed, p.maxD, p.radius, p.cost as CostKind);
  useReady(match.result !== null);
  const result = match.result;
  const q = match.input;
  const [px, py] = p.pixel;
  const pick = (x: number, y: number) => set('pixel', [x, y]);
  const at = result && q ? readPixel(result, q.frames, q.maxD, px, py) : null;

  return (
    <div className="cost-volume-demo">
      <ParamControls table={costVolumeParams} values={p} onChange={set} />
      {!frames && <p className="status-line">Loading test digits… {Math.round(100 * digits.progress)} %</p>}
      <div className="toolbar" data-frames={match.count} data-running="0">
        <button type="button" data-action="step" onClick={() => set('seed', (p.seed % 9999) + 1)}>
          Next frames
        </button>
        {frames && <TrueShifts frames={frames} />}
      </div>
      {frames && (
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(15rem, 1fr))', gap: '0.6rem', maxWidth: '42rem' }}>
          <figure style={{ margin: 0 }}>
            <FrameCanvas frames={frames} result={result} maxD={q?.maxD ?? p.maxD} pick={p.pixel} onPick={pick} mode="frames" colors={colors} />
            <figcaption className="plot-caption">Frame 1 (blue) and frame 2 (orange). Click a pixel.</figcaption>
          </figure>
          <figure style={{ margin: 0 }}>
            <FrameCanvas frames={frames} result={result} maxD={q?.maxD ?? p.maxD} pick={p.pixel} onPick={pick} mode="flow" colors={colors} />
            <figcaption className="plot-caption">
              Winner-take-all flow every {EVERY} px: <span style={{ color: COLOR.unique }}>one best match</span>, <span style={{ color: COLOR.aperture }}>several tie (aperture problem)</span>,{' '}
              <span style={{ color: COLOR.textureless }}>all tie (textureless)</span>; dots: zero flow.
            </figcaption>
          </figure>
        </div>
      )}
      {result && q && at && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.6rem 1.2rem', marginTop: '0.6rem', alignItems: 'flex-start' }}>
          <figure style={{ margin: 0 }}>
            <CostGrid costs={at.costs} maxD={q.maxD} kind={q.kind} truth={at.truth} win={at.win} colors={colors} />
            <figcaption className="plot-caption" style={{ maxWidth: '14rem' }}>
              Pixel ({px}, {py}): cost over dx (across) and dy (down), darker = better match; orange square: the true shift ({at.truth.join(', ')}); dot: the winner ({at.win.join(', ')}),{' '}
              {at.ties} displacement{at.ties === 1 ? '' : 's'} tied ({at.evidence}).
            </figcaption>
          </figure>
          {result.report && <EpeTable r={result.report} />}
        </div>
      )}
    </div>
  );
}
