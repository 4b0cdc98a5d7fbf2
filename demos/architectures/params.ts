import { defineParams } from '../runtime/params';
import { ARCHITECTURES } from './model';

const LABELS: Record<(typeof ARCHITECTURES)[number], string> = {
  vgg16: 'VGG-16',
  resnet18: 'ResNet-18',
  resnet50: 'ResNet-50',
  resnext50_32x4d: 'ResNeXt-50 32×4d',
  wide_resnet50_2: 'Wide ResNet-50-2',
  googlenet: 'GoogLeNet (Inception v1)',
  mobilenet_v1: 'MobileNet v1',
  mobilenet_v2: 'MobileNet v2',
  squeezenet1_0: 'SqueezeNet 1.0',
  squeezenet1_1: 'SqueezeNet 1.1',
  shufflenet_v2_x1_0: 'ShuffleNet V2',
  xception: 'Xception',
  efficientnet_b0: 'EfficientNet-B0',
  efficientnet_b1: 'EfficientNet-B1',
  efficientnet_b2: 'EfficientNet-B2',
  efficientnet_b3: 'EfficientNet-B3',
  efficientnet_b4: 'EfficientNet-B4',
  efficientnet_b5: 'EfficientNet-B5',
  efficientnet_b6: 'EfficientNet-B6',
  efficientnet_b7: 'EfficientNet-B7',
  densenet121: 'DenseNet-121',
};

/** The explorer's state in the URL: architecture, input resolution and width multiplier (a pasted model.json is not). */
export const archParams = defineParams({
  arch: { kind: 'choice', label: 'Architecture', options: ARCHITECTURES.map((value) => ({ value, label: LABELS[value] })), default: 'resnet50' },
  resolution: { kind: 'number', label: 'Input resolution (pixels)', min: 32, max: 640, step: 1, default: 224 },
  width: {
    kind: 'choice',
    label: 'Width multiplier (MobileNets, ShuffleNet)',
    options: ['0.25', '0.35', '0.5', '0.75', '1', '1.3', '1.4', '1.5', '2'].map((value) => ({ value, label: `×${value}` })),
    default: '1',
  },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [archParams];
