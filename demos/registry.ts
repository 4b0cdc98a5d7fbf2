import type { ComponentType } from 'react';
import type { DemoViewProps } from './runtime/types';

/**
 * The only list of demos: id → title and a lazy loader of its view. The view (and through it tfjs)
 * is fetched only when the demo nears the viewport, so a page's first JavaScript stays small.
 */
export interface DemoEntry {
  title: string;
  /** Backends the demo supports (browser tests run each). */
  backends: readonly ('webgl' | 'wasm' | 'cpu')[];
  load: () => Promise<{ default: ComponentType<DemoViewProps> }>;
}

export const demos = {
  overview: {
    title: 'Mini-batch noise and the Newton step',
    backends: ['webgl', 'wasm', 'cpu'],
    load: () => import('./overview/View'),
  },
  optimizers: {
    title: 'Optimizer race',
    backends: ['webgl', 'wasm', 'cpu'],
    load: () => import('./optimizers/View'),
  },
  dropout: {
    title: 'Dropout against overfitting',
    backends: ['webgl', 'wasm', 'cpu'],
    load: () => import('./dropout/View'),
  },
  'mnist-live': {
    title: 'This network, live',
    backends: ['webgl', 'wasm', 'cpu'],
    load: () => import('./mnist-live/View'),
  },
} satisfies Record<string, DemoEntry>;

export type DemoId = keyof typeof demos;

export function isDemoId(id: string): id is DemoId {
  return Object.prototype.hasOwnProperty.call(demos, id);
}
