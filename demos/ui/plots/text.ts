/** Size of the text canvases draw around plots (tick labels, axis titles), CSS px. */
export const FONT_PX = 11;

let measurer: CanvasRenderingContext2D | null = null;

/** Width in CSS px of `text` in a canvas `font` (an estimate where there is no canvas). */
export function textWidth(text: string, font: string): number {
  if (typeof document !== 'undefined') measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return text.length * 0.6 * (Number(/(\d+)px/.exec(font)?.[1]) || FONT_PX);
  measurer.font = font;
  return measurer.measureText(text).width;
}
