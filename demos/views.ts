import type { ComponentType } from 'react';
import type { DemoId } from './registry';
import type { DemoViewProps } from './ui/types';

/**
 * Lazy loaders of the demo views, one per registered id (the type makes a missing one a compile error).
 * Only the client-side Demo frame imports this: a server module importing it would pull every view, and
 * tfjs with them, into the page's first JavaScript.
 */
export const views: Record<DemoId, () => Promise<{ default: ComponentType<DemoViewProps> }>> = {
  overview: () => import('./overview/View'),
  optimizers: () => import('./optimizers/View'),
  dropout: () => import('./dropout/View'),
  'mnist-live': () => import('./mnist-live/View'),
};
