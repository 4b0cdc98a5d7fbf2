'use client';
import { useEffect, useRef } from 'react';
import type { ChannelLink } from '../../runtime/models/grouped';
import { SERIES } from './palette';
import { useWidth } from './useSize';
import { useThemeColors } from './useTheme';
import { sizedContext } from './draw';

export interface ChannelGraphProps {
  /** What the figure shows, for screen readers. */
  label: string;
  /** One row of channels per stage, top to bottom, and the name at its left. */
  stages: readonly { label: string; channels: number }[];
  /** links[s] joins stage s to stage s + 1; each link is coloured by its group. */
  links: readonly (readonly ChannelLink[])[];
  /** Channels to emphasise per stage (e.g. what feeds one output); their links are drawn strong, the rest faint. */
  lit?: readonly (readonly boolean[])[];
  /** Colour of channel c of stage s (its group); the group colour of the links otherwise. */
  groupOf?: (stage: number, channel: number) => number;
  /** Vertical distance between stages, CSS px. */
  gap?: number;
}

/**
 * Which channels feed which: each stage is a row of dots (one per channel), and a line joins channel i of a stage
 * to channel j of the next when i feeds j. Grouped convolutions show as separate bundles, a channel shuffle as
 * crossing lines. Lit channels and the links between them are drawn strong, so one output's inputs can be traced.
 */
export function ChannelGraph({ label, stages, links, lit, groupOf, gap = 56 }: ChannelGraphProps) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useWidth(box);
  const colors = useThemeColors();
  const pad = { l: 64, r: 8, t: 8, b: 8 };
  const height = pad.t + pad.b + Math.max(0, stages.length - 1) * gap;

  useEffect(() => {
    const ctx = sizedContext(canvas.current, width, height);
    if (!ctx || !width) return;
    const plotW = width - pad.l - pad.r;
    const x = (s: number, ch: number) => pad.l + ((ch + 0.5) * plotW) / stages[s].channels;
    const y = (s: number) => pad.t + s * gap;
    const colour = (g: number) => SERIES[g % SERIES.length];
    // Faint links first, then the lit ones over them.
    for (const strong of [false, true]) {
      links.forEach((ls, s) => {
        const many = ls.length > 600;
        for (const l of ls) {
          const on = !!lit && lit[s][l.from] && lit[s + 1][l.to];
          if (on !== strong) continue;
          ctx.strokeStyle = on ? colors.fg : colour(l.group);
          ctx.globalAlpha = on ? 0.9 : lit ? (many ? 0.12 : 0.3) : many ? 0.25 : 0.7;
          ctx.lineWidth = on ? 1.6 : 1;
          ctx.beginPath();
          ctx.moveTo(x(s, l.from), y(s));
          ctx.lineTo(x(s + 1, l.to), y(s + 1));
          ctx.stroke();
        }
      });
    }
    ctx.globalAlpha = 1;
    ctx.font = `11px ${colors.font}`;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    stages.forEach((st, s) => {
      ctx.fillStyle = colors.muted;
      ctx.fillText(st.label, 0, y(s), pad.l - 6);
      const r = Math.max(1, Math.min(4, plotW / st.channels / 2.6));
      for (let ch = 0; ch < st.channels; ch++) {
        const on = !!lit && lit[s][ch];
        ctx.fillStyle = groupOf ? colour(groupOf(s, ch)) : colors.muted;
        ctx.beginPath();
        ctx.arc(x(s, ch), y(s), on ? r + 1 : r, 0, 2 * Math.PI);
        ctx.fill();
        if (on) {
          ctx.strokeStyle = colors.fg;
          ctx.lineWidth = 1.2;
          ctx.stroke();
        }
      }
    });
  }, [width, height, stages, links, lit, groupOf, gap, colors, pad.l, pad.r, pad.t]);

  return (
    <div ref={box} className="plot">
      <canvas ref={canvas} role="img" aria-label={label} style={{ width: '100%', height, display: 'block' }} />
    </div>
  );
}
