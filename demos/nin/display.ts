/** How the NiN view writes counts, the race's status and the head-size table: pure, tested in Node. */
import { fcHeadParams, gapHeadParams, type HeadFrame, type HeadSizes } from './model';
import { formatNumber } from '../ui/plots/scale';

export const int = formatNumber;

/** The race's status: loading (in the demo's worker), extracting the frozen maps, then the Adam steps taken of `total` on `digits` training digits. */
export function raceStatus(f: HeadFrame | null, total: number, digits: number): string {
  if (!f) return `loading the shipped CNN and ${int(digits)} training digits…`;
  return f.extracted < 1 ? `extracting the frozen pool2 maps: ${Math.round(100 * f.extracted)} %` : `Adam step ${f.trained} of ${total} on ${int(digits)} digits`;
}

/** The head-size table for the reader's sizes: its caption, and each head's parameters and their ratio. */
export function headSizeTable(s: HeadSizes): { caption: string; rows: [string, string][] } {
  const fc = fcHeadParams(s);
  const gap = gapHeadParams(s);
  return {
    caption: `Last maps ${s.side}×${s.side}×${int(s.channels)}, ${int(s.classes)} classes`,
    rows: [
      [`fully connected: flatten → ${s.hidden > 0 ? `${s.layers} × ${int(s.hidden)} → ` : ''}${int(s.classes)}`, int(fc)],
      [`NiN: 1×1 conv ${int(s.channels)} → ${int(s.classes)}, global average pooling`, int(gap)],
      ['ratio', `${(fc / gap).toFixed(fc / gap >= 10 ? 0 : 1)}×`],
    ],
  };
}
