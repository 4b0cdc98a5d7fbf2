// The few parts of ConvNetJS 0.3.0 (a CommonJS package without types) that the benchmark uses.
declare module 'convnetjs' {
  /** A 3-D volume of float64 values, (x, y, depth) stored as w[((sx·y) + x)·depth + d]. */
  export class Vol {
    constructor(sx: number, sy: number, depth: number, c?: number);
    sx: number;
    sy: number;
    depth: number;
    w: Float64Array;
    dw: Float64Array;
  }
  export interface LayerDef {
    type: string;
    [key: string]: unknown;
  }
  export class Net {
    makeLayers(defs: LayerDef[]): void;
    forward(v: Vol, isTraining?: boolean): Vol;
    getPrediction(): number;
  }
  export interface TrainerOptions {
    method?: 'sgd' | 'adagrad' | 'adadelta' | 'windowgrad';
    batch_size?: number;
    l2_decay?: number;
    learning_rate?: number;
    momentum?: number;
  }
  export interface TrainStats {
    loss: number;
    cost_loss: number;
  }
  export class Trainer {
    constructor(net: Net, options?: TrainerOptions);
    train(x: Vol, y: number): TrainStats;
  }
  const convnetjs: { Vol: typeof Vol; Net: typeof Net; Trainer: typeof Trainer; SGDTrainer: typeof Trainer };
  export default convnetjs;
}
