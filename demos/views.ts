import type { ComponentType } from 'react';
import type { DemoId } from './registry';

/**
 * Lazy loaders of the demo views, one per registered id (the type makes a missing one a compile error).
 * Only the client-side Demo frame imports this: a server module importing it would pull every view, and
 * tfjs with them, into the page's first JavaScript. A view takes no props: what the frame knows (backend,
 * whether on screen, URL prefix, notes, ready, errors) comes through the frame context (demos/ui/frame.ts).
 */
export const views: Record<DemoId, () => Promise<{ default: ComponentType }>> = {
  overview: () => import('./overview/View'),
  optimizers: () => import('./optimizers/View'),
  dropout: () => import('./dropout/View'),
  momentum: () => import('./momentum/View'),
  schedules: () => import('./schedules/View'),
  transfer: () => import('./transfer/View'),
  'two-stage': () => import('./two-stage/View'),
  'detection-metrics': () => import('./detection-metrics/View'),
  nin: () => import('./nin/View'),
  invariance: () => import('./invariance/View'),
  vgg: () => import('./vgg/View'),
  augment: () => import('./augment/View'),
  init: () => import('./init/View'),
  inception: () => import('./inception/View'),
  batchnorm: () => import('./batchnorm/View'),
  labelsmooth: () => import('./labelsmooth/View'),
  'mnist-live': () => import('./mnist-live/View'),
  huffman: () => import('./huffman/View'),
  quantization: () => import('./quantization/View'),
  'deep-compression': () => import('./deep-compression/View'),
  pruning: () => import('./pruning/View'),
  prelu: () => import('./prelu/View'),
  distillation: () => import('./distillation/View'),
  intriguing: () => import('./intriguing/View'),
  fgsm: () => import('./fgsm/View'),
  'carlini-wagner': () => import('./carlini-wagner/View'),
  saliency: () => import('./saliency/View'),
  lime: () => import('./lime/View'),
  resnet: () => import('./resnet/View'),
  'identity-mappings': () => import('./identity-mappings/View'),
  'wide-resnet': () => import('./wide-resnet/View'),
  architectures: () => import('./architectures/View'),
  mobilenet: () => import('./mobilenet/View'),
  squeezenet: () => import('./squeezenet/View'),
  resnext: () => import('./resnext/View'),
  shufflenet: () => import('./shufflenet/View'),
  'mobilenet-v2': () => import('./mobilenet-v2/View'),
  'one-stage': () => import('./one-stage/View'),
  'super-resolution': () => import('./super-resolution/View'),
  segmentation: () => import('./segmentation/View'),
};
