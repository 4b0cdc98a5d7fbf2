import { defineParams, type NumberSpec } from '../runtime/params';
import { DEFAULT_RACE } from './model';

/** Training digits the heads learn from and test digits they are scored on (one shard each). */
export const TRAIN_DIGITS = 2000;
export const TEST_DIGITS = 500;
/** Channels of the shipped CNN's conv1, which the 1×1 filter mixes. */
export const MIX_CHANNELS = 16;

const weight = (i: number, value: number): NumberSpec => ({ kind: 'number', label: `Channel ${i + 1}`, min: -1, max: 1, step: 0.05, default: value });

/** The GAP-versus-FC race on the frozen conv2 maps, and which test digit every panel shows. */
export const raceParams = defineParams({
  digit: { kind: 'number', label: 'Test digit', min: 0, max: TEST_DIGITS - 1, step: 1, default: 0 },
  micro: {
    kind: 'choice',
    label: 'GAP head: 1×1 layers before the average',
    options: [
      { value: '0', label: '32 → 10' },
      { value: '16', label: '32 → 16 → 10' },
      { value: '64', label: '32 → 64 → 10' },
    ],
    default: '0',
  },
  lr: { kind: 'number', label: 'Adam learning rate', min: 0.0003, max: 0.03, step: 0.0001, default: DEFAULT_RACE.lr, log: true },
  seed: { kind: 'number', label: 'Seed', min: 1, max: 9999, step: 1, default: DEFAULT_RACE.seed },
});

/** One 1×1 filter over the 16 conv1 maps: a weight per channel (default: channel 1 minus channel 2), bias, ReLU. */
export const mixParams = defineParams({
  w0: weight(0, 1),
  w1: weight(1, -1),
  w2: weight(2, 0),
  w3: weight(3, 0),
  w4: weight(4, 0),
  w5: weight(5, 0),
  w6: weight(6, 0),
  w7: weight(7, 0),
  w8: weight(8, 0),
  w9: weight(9, 0),
  w10: weight(10, 0),
  w11: weight(11, 0),
  w12: weight(12, 0),
  w13: weight(13, 0),
  w14: weight(14, 0),
  w15: weight(15, 0),
  bias: { kind: 'number', label: 'Bias', min: -2, max: 2, step: 0.05, default: 0 },
  relu: { kind: 'toggle', label: 'ReLU after the sum (an mlpconv layer)', default: true },
});

/** The reader's sizes for the head calculator (defaults: AlexNet's last maps and head). */
export const sizeParams = defineParams({
  side: { kind: 'number', label: 'Side of the last maps', min: 1, max: 64, step: 1, default: 6 },
  channels: { kind: 'number', label: 'Channels', min: 1, max: 4096, step: 1, default: 256 },
  hidden: { kind: 'number', label: 'Hidden FC width (0: none)', min: 0, max: 8192, step: 1, default: 4096 },
  layers: { kind: 'number', label: 'Hidden FC layers', min: 1, max: 4, step: 1, default: 2 },
  classes: { kind: 'number', label: 'Classes', min: 2, max: 22000, step: 1, default: 1000 },
});

/** Every parameter table this demo reads (demos/params.test.ts checks each one). */
export const paramTables = [raceParams, mixParams, sizeParams];
