/**
 * Public functions work on their own: each demo's and the runtime's public functions, imported in Node
 * and called with nothing else set up — no backend chosen, no flag set, no beforeAll. Vitest runs this
 * file in a fresh process, so these calls are a reader's first calls. (Before the runtime started a
 * backend itself, the first of them threw "Backend 'undefined' has not yet been initialized".)
 * The loaders (runtime/data: loadMnist, loadModel) need a file-backed `fetch` in Node, as their options
 * say; runtime/data/loader.test.ts and models.test.ts call them that way, with nothing else set up.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Race, SURFACES, trajectory, widenBox } from './optimizers/model';
import { attack, attackRange, attackSet, crossEntropy as attackLoss, fgsm, inputGradient, logits, pgd, project, summarizeTally } from './runtime/models/attacks';
import { argMax as fgsmArgMax, attackDigit, curvePgd, linearShift } from './fgsm/model';
import { cell, curve } from './fgsm/curves';
import { createCw, cwSummary } from './runtime/models/cw';
import { createCwDigit, targetMargin } from './carlini-wagner/model';
import { createBoxAttack, nextC, predictProbs, rmsDistortion, rowArgMax, runBoxAttack } from './intriguing/attack';
import { column, createDigitTransfer, createExcitation, features as fc1Features, projectOnto, purity, randomDirection, topK, transferDigit } from './intriguing/model';
import { addTransfer, emptyTransfer, goalClasses, scoreTransfer, transferBatch, transferRates } from './intriguing/transfer';
import { createDescent, fullGradient, gdVsNewton, lossGrid, makeDataset, minibatchGradients, quadratic } from './overview/model';
import { createPair, forward, mcDropout, pairSimulation } from './dropout/model';
import { pairData, pairSeeds } from './dropout/data';
import { createStackedMlp, disposeMlp, initLayers } from './runtime/models/stacked-mlp';
import { makeData } from './runtime/data/moons';
import { predict, argMax } from './mnist-live/model';
import { createRace, learningRate, scheduleCurve } from './schedules/model';
import * as capsules from './capsules/model';
import { averagePrecision as detAp, createPrBuild, interpolationPoints, iou as detIou, mapSummary, meanAp, meanCocoAp, nms as detNms, nmsPerClass, nmsTrace } from './detection-metrics/model';
import { slidingWindowDetect } from './detection-metrics/detector';
import { createPoolSweep, features, generateAnchors, labelAnchors, quantisationError, roiAlign, roiPool } from './two-stage/model';
import { createDetector, decodeScene, detect, encodeTargets, focalTerm, initialFlat, lossShares, meanAp as oneStageMeanAp } from './one-stage/model';
import { affineGrid, bilinearSample, spatialTransform, targetGrid, thetaFromParts } from './runtime/models/sampler';
import { createStnRace, distort, distortedSet, initialFlat as stnInitialFlat, parameterCounts as stnCounts, randomDistortions, rectify, sampleByHand, unflatten as stnUnflatten } from './stn/model';
import { classExcitations, classSurvey, CNN_SE_STAGES, exciteDigits, hiddenUnits, rankChannels, rescaledMap, seCost } from './se/model';
import { classIou, confusionMatrix, connectivity, createSegmenter, feeders, meanIou as segMeanIou, pixelAccuracy, scoreMasks, segment, initialFlat as segInitialFlat } from './segmentation/model';
import { summarize, summarizeResNet } from './architectures/model';
import { compound, family, parseResults, tinyCost, trainChild } from './efficientnet/model';
import { summarizeEfficientNet } from './runtime/arch/zoo';
import { calibration, createRestorers, heldOut, initialFlats, pixelShuffle, restore, score as restoreScore } from './super-resolution/model';
import { areaDownsample, bicubicUpsample, keysKernel } from './runtime/resample';
import { psnr, ssim } from './runtime/image-quality';
import { summarizeModelJson } from './architectures/keras';
import { createHuffmanBuild, entropyBits, huffmanCodeLengths, layerStreams } from './huffman/model';
import { clusterCounts, initialCentroids, kmeans1d } from './runtime/compress/kmeans';
import { createMlpScorer, layerTensors, mlpLogits } from './runtime/compress/mlp';
import { decodeNetwork, encodeNetwork } from './runtime/compress/format';
import { tiedGradient, tiedKernel, trainTied } from './runtime/compress/tied';
import { DEEP_COMPRESSION_CONFIG, decodedAccuracy, deepCompression, denseBytes, stageLine } from './runtime/compress/pipeline';
import { createDecodedScore } from './deep-compression/model';
import { createKeypointNet, keypointOf, keypointsFromHeatmaps, peakInBox, pck, predictHeatmaps, initialFlat as poseInitialFlat, targetHeatmaps, upsample2 } from './pose/model';
import { costVolume, endPointError, evidenceOf, flowReport, makeFrames, matchFrames, pixelCosts, winnerTakeAll } from './cost-volume/model';
import { createQuantization, histogram as countHistogram, shareWeights } from './quantization/model';
import { csrMatMul, encodingBytes, toCsr } from './runtime/compress/csr';
import { huffmanDecode, huffmanEncode } from './runtime/compress/huffman';
import { createPruning, encodingTable, keptShares, maskImages, pruneMasks, pruningFor, pruningRunUnits, timeProducts } from './pruning/model';
import { magnitudeMask, positionsFromGaps, relativeIndices } from './runtime/compress/sparse';
import { createInitRun, predictedForwardStd } from './init/model';
import { createSmoothRun, optimalLogitGap, reliability, smoothTarget } from './labelsmooth/model';
import { createDistillRun, digitLogits, distillLoss, fewPerClass, softGradient, softmaxAt, teacherLogits } from './distillation/model';
import { createPreluRun, preluAt, preluDerivative, slopeGradient } from './prelu/model';
import { prelu } from './runtime/models/stacked-mlp';
import { createBnRun, histogram as shareHistogram, STEP_UNITS as BN_STEP_UNITS } from './batchnorm/model';
import { createModule, moduleCost, runModule, stemFilters, INCEPTION_3A } from './inception/model';
import { BatchNorm, batchNormBackward, batchNormInfer, batchNormTrain, updateRunning } from './runtime/models/batchnorm';
import * as momentum from './momentum/model';
import { createKernelTimer, layerCost, mobilenetCost, separableBlockModel } from './mobilenet/model';
import { invertedResidualCost, roundTrips, spiral } from './mobilenet-v2/model';
import { fireCost, liveCheck, SQUEEZENET, squeezenetCost } from './squeezenet/model';
import { classMaps, createHeadRace, fcHeadParams, gapHeadParams, mix1x1, trunk } from './nin/model';
import { effectiveField, PRESETS, receptiveFields } from './vgg/model';
import { accuracy as stackedAccuracy, crossEntropy, forwardStacked } from './runtime/models/stacked-mlp';
import { createFlatTrainer } from './runtime/train';
import { buildCnn, buildCnnGap, buildCnnSe, buildInvariance, buildMlp, summarizeLayers } from './runtime/models/zoo';
import { motionMatrix, moveDigit, moveImages, randomMotions } from './runtime/models/transform';
import { augment, drawSamples, pcaShift, rgbPca, symmetricEigen3 } from './augment/model';
import { loadRgbImage } from './runtime/data/images';
import { decodePng, loadMandrillNode, prepareImages } from '../scripts/images-node';
import { fileFetch } from '../scripts/mnist-node';
import { accuracyUnderMotion, argMax as invArgMax, layerFunction, shiftGap, sweepDigit, sweepMotions } from './invariance/model';
import { accuracy } from './runtime/models/classify';
import { trainClassifier } from './runtime/models/train';
import { mulberry32 } from './runtime/random';
import type { MnistArrays } from './runtime/data/idx';
import { binaryAccuracy, binaryLogits, cnnWeights, fineTuneBinary, sign } from './runtime/models/binary';
import { packInput, packKernel, xnorConv } from './xnor/kernel';
import { createTowerWalk, depthwiseThenPointwise, digitMaps, heKernel, moduleCost as towerModuleCost, pointwiseThenDepthwise, towerCounts, towerKernel, towerModule } from './xception/model';
import { cnnCost, cnnTotals, conv2Arrays, createXnorDemo, createXnorTiming, filterSlice, paperSpeedup, tfSignConv, TIMED_PATHS, WARMUPS as XNOR_WARMUPS } from './xnor/model';
import { tf } from './runtime/tf';
import { baseWeights, createTransferRun, kShot, netIndex, predictBase, randomLayer, targetDigits } from './transfer/model';
import { curveOf, latest as latestAccuracy } from './transfer/train';
import { createExplainer, explainChecked, rankCorrelation } from './saliency/model';
import { createLimeRun, summarizeRuns, weightedRidge } from './lime/model';
import { createResnetRun } from './resnet/model';
import { createWideRun, wrnCount } from './wide-resnet/model';
import { blockParams as resnextParams, compareForms, createFormsRun, createResnextBlock, equalBudgetWidth } from './resnext/model';
import { blockDiagonalKernel, channelShuffle, groupedConv2d, receptiveChannels, shufflePermutation } from './runtime/models/grouped';
import { createTimingSweep, sweepSteps, timeKernel } from './runtime/timing';
import { createGuidelineTimer, mac1x1, macLowerBound, shuffledChannels, shufflenetCost, unitCost } from './shufflenet/model';
import { createPropagationRun, measurePropagation, shortcutProduct } from './identity-mappings/model';
import { canonicalCells, cellCost, decode, encode, mutations } from './runtime/nasbench/space';
import { buildCell } from './runtime/nasbench/build';
import { BenchFormatError, validateManifest } from './runtime/nasbench/table';
import { EvolutionRun, importRuns, exportRuns } from './runtime/nasbench/search';
import { compareSearches, SoftmaxRun } from './runtime/nasbench/compare';
import { ControllerBatch } from './runtime/nasbench/controller';
import { createRace as createEvolutionRace, livingOf } from './evolution/model';
import { createNasRace } from './nas/model';
import { forwardResidual, residualBlock, residualBranch, residualParams, residualSizes, residualUnit, weightGradNorms, weightedLayers } from './runtime/models/residual';

/**
 * torch.optim.Adadelta's documented update (lr 1, ρ 0.9, ε 1e-6, no weight decay) in float64, on the
 * saddle f = x² − y² (∇f = (2x, −2y)): the reference the float32 trajectory is held to.
 */
function adadeltaOnSaddle(start: [number, number], steps: number): [number, number][] {
  const p = [...start];
  const v = [0, 0];
  const u = [0, 0];
  const out: [number, number][] = [[p[0], p[1]]];
  for (let t = 0; t < steps; t++) {
    const g = [2 * p[0], -2 * p[1]];
    for (const j of [0, 1]) {
      v[j] = 0.9 * v[j] + 0.1 * g[j] * g[j];
      const delta = (Math.sqrt(u[j] + 1e-6) / Math.sqrt(v[j] + 1e-6)) * g[j];
      u[j] = 0.9 * u[j] + 0.1 * delta * delta;
      p[j] -= delta;
    }
    out.push([p[0], p[1]]);
  }
  return out;
}

describe('optimizers', () => {
  it('trajectory: Adadelta on the saddle from (0.5, 0.01) reaches y = 28.94 at step 100, as PyTorch does; frozen only with bounds', async () => {
    const start: [number, number] = [0.5, 0.01];
    const pts = await trajectory('adadelta', 'saddle', start, 100);
    const ref = adadeltaOnSaddle([Math.fround(start[0]), Math.fround(start[1])], 100);
    // Every step follows torch's rule (float32 against float64: ~7 significant digits per step).
    pts.forEach((p, i) => p.forEach((x, j) => expect(Math.abs(x - ref[i][j]), `step ${i}`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(ref[i][j])))));
    expect(pts[100][1]).toBeCloseTo(28.94, 2); // PyTorch 2.x: 28.9439; it passes y = 20 at step 92
    expect(pts[100][0]).toBeCloseTo(0.2004, 4);

    // The demo's box (10× its view, [-20, 20]²) stops the run at its last point inside.
    const view = SURFACES.saddle.view;
    const boxed = await trajectory('adadelta', 'saddle', start, 100, undefined, { bounds: widenBox(view) });
    const last = boxed[100];
    expect(last[1]).toBeLessThanOrEqual(20);
    expect(last[1]).toBeGreaterThan(19);
    expect(boxed.slice(0, 92)).toEqual(pts.slice(0, 92)); // identical until the box
    expect(boxed.slice(92).every((p) => p[0] === last[0] && p[1] === last[1])).toBe(true);
  });

  it('Race: the demo engine steps, resets and disposes; by default it freezes at 10× the view (the demo decision)', async () => {
    const before = tf.memory().numTensors;
    const race = new Race('saddle', [{ optimizer: 'adadelta', start: [0.5, 0.01] }]);
    const frame = await race.step(100);
    expect(frame.diverged).toEqual([true]);
    expect(frame.divergedAt[0]).toBe(92);
    race.dispose();
    const free = new Race('saddle', [{ optimizer: 'adadelta', start: [0.5, 0.01] }], { bounds: null });
    expect((await free.step(100)).positions[199]).toBeCloseTo(28.94, 2);
    free.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('overview', () => {
  it('lossGrid, fullGradient, minibatchGradients and createDescent run and free their tensors', async () => {
    const before = tf.memory().numTensors;
    const d = makeDataset(3, 64);
    const grid = await lossGrid(d, undefined, 8);
    expect(grid.length).toBe(64);
    expect(grid.every(Number.isFinite)).toBe(true);
    const g = await fullGradient(d, [0, 0]);
    expect(Number.isFinite(g.grad[0]) && Number.isFinite(g.grad[1])).toBe(true);
    const mb = await minibatchGradients(d, [0, 0], 8, 16, 1);
    expect(mb.grads.length).toBe(32);
    const descent = createDescent(d, { start: [0, 0], lr: 0.1, batchSize: 8, seed: 1 });
    const f = await descent.step(5);
    expect(f.path.length).toBe(20);
    expect(f.steps).toBe(5);
    descent.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(gdVsNewton(quadratic(4, 0), [0, 0], 0.5, 3).gd).toHaveLength(4);
  });
});

describe('dropout', () => {
  it('createPair trains both nets; forward and mcDropout run on a stacked MLP', async () => {
    const before = tf.memory().numTensors;
    const pair = createPair({ hidden: [8], nTrain: 20, nTest: 40 });
    const frame = await pair.step(3);
    expect(frame.steps).toBe(3);
    expect(Number.isFinite(frame.plain.trainLoss) && Number.isFinite(frame.dropout.testLoss)).toBe(true);
    pair.dispose();
    const data = makeData(1, { nTrain: 4, nTest: 4 });
    const mlp = createStackedMlp([initLayers([2, 4, 2], 1)]);
    const out = tf.tidy(() => forward(mlp, tf.tensor3d(data.train.x, [1, 4, 2])).arraySync());
    expect(out[0].length).toBe(4);
    const mc = tf.tidy(() => mcDropout(mlp, tf.tensor2d(data.test.x, [4, 2]), tf.tensor3d([[[0.5]]]), 3, mulberry32(2)));
    expect(mc.mean.shape).toEqual([1, 4]);
    tf.dispose([mc.mean, mc.std]);
    disposeMlp(mlp);
    const sim = pairSimulation({ hidden: [8], nTrain: 20, nTest: 40 }, 4);
    await sim.step(2);
    const f = await sim.step(0);
    expect(f.steps).toBe(2);
    expect(f.boundary.plain.length).toBe(16);
    expect(pairData(1, { nTrain: 20, nTest: 40 })).toEqual(f.data);
    expect(Object.values(pairSeeds(1)).every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32)).toBe(true);
    sim.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('detection-metrics', () => {
  it('iou, nms and averagePrecision (the issue\'s API), the NMS trace, the PR build and the detector work alone', async () => {
    expect(detIou([0, 0, 2, 2], [1, 0, 3, 2])).toBeCloseTo(1 / 3, 12);
    expect(detNms([[0, 0, 2, 2], [0, 0, 2, 2.2], [5, 5, 6, 6]], [0.5, 0.9, 0.1], 0.5)).toEqual([1, 2]);
    const gts = [{ image: 0, box: [0, 0, 2, 2] as const }];
    const dets = [{ image: 0, box: [0, 0, 2, 2] as const, score: 0.9 }];
    for (const interpolation of ['voc11', 'voc-all', 'coco101'] as const) expect(detAp(dets, gts, { iouThreshold: 0.5, interpolation })).toBe(1);
    expect(nmsTrace([[0, 0, 2, 2], [0, 0, 2, 2]], [0.9, 0.8], { method: 'linear', iouThreshold: 0.3 }).map((s) => s.pick)).toEqual([0]);
    const kept = nmsPerClass([{ ...dets[0], cls: 3 }], { method: 'greedy', iouThreshold: 0.5 });
    expect(meanAp(kept, [{ ...gts[0], cls: 3 }], { iouThreshold: 0.5, interpolation: 'voc-all' })).toBe(1);
    expect(meanCocoAp(kept, [{ ...gts[0], cls: 3 }])).toBe(1);
    expect(await mapSummary([{ ...dets[0], cls: 3 }], [{ ...gts[0], cls: 3 }], { method: 'greedy', iouThreshold: 0.5 })).toEqual({ kept: 1, voc11: 1, vocAll: 1, coco101: 1, coco: 1 });
    expect(interpolationPoints([1], [1], 'voc11').precision).toHaveLength(11);
    expect((await createPrBuild(dets, gts, 0.5).step(1)).ap.coco101).toBe(1);
    const before = tf.memory().numTensors;
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    const image = new Float32Array(64).fill(1);
    const found = await slidingWindowDetect(model, [{ size: 8, image, mask: new Uint8Array(64), objects: [] }], { sizes: [8], stride: 4, minScore: 0, inkThreshold: 0.3 });
    expect(found).toHaveLength(1);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('two-stage', () => {
  it('anchors, the RPN rule, RoI pooling, RoIAlign, the backbone and the sweep work alone', async () => {
    const anchors = generateAnchors({ size: 16, stride: 8, scales: [8], ratios: [1] });
    expect(anchors).toHaveLength(4);
    expect(Array.from(labelAnchors(anchors, [[0, 0, 8, 8]], { positive: 0.7, negative: 0.3 }).label)).toEqual([1, 0, 0, 0]);
    expect(quantisationError([0.5, 0.5, 2, 2], 1, 4, 4).edge).toBe(0.5);
    const before = tf.memory().numTensors;
    const m = tf.ones([4, 4, 1]) as never;
    const [a, b] = [roiPool(m, [0, 0, 2, 2], 2), roiAlign(m, [0, 0, 2, 2], 2)];
    expect(Array.from(await a.data())).toEqual([1, 1, 1, 1]);
    expect(Array.from(await b.data())).toEqual([1, 1, 1, 1]);
    const kernels = [tf.ones([5, 5, 1, 1]), tf.zeros([1]), tf.ones([5, 5, 1, 1]), tf.zeros([1])];
    const sim = createPoolSweep(features({ kernels } as never, new Float32Array(32 * 32).fill(1), 32), [8, 8, 24, 24], { k: 2, maxOffset: 0.5 });
    expect((await sim.step(5)).sweep).toHaveLength(3);
    sim.dispose();
    tf.dispose([a, b, m, ...kernels]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('schedules', () => {
  it('learningRate, scheduleCurve and createRace work alone; the stacked MLP\'s losses too', async () => {
    const before = tf.memory().numTensors;
    expect(learningRate('cosine', 50, { base: 1, total: 100, warmup: 0 })).toBeCloseTo(0.5, 12);
    expect(scheduleCurve('warmup', { base: 1, total: 10, warmup: 4 })[1]).toBeCloseTo(0.5, 12);
    const race = createRace({ schedules: ['constant', 'onecycle'], total: 200, hidden: [4], nTrain: 8, nTest: 8 });
    const f = await race.step(2);
    expect(f.steps).toBe(2);
    expect(Number.isFinite(f.trainLoss[0]) && Number.isFinite(f.testLoss[1])).toBe(true);
    race.dispose();
    const mlp = createStackedMlp([initLayers([2, 3, 2], 1), initLayers([2, 3, 2], 2)]);
    const [ce, acc] = tf.tidy(() => {
      const logits = forwardStacked(mlp, tf.tensor3d([0, 1, 1, 0], [1, 2, 2]));
      const y = tf.tensor1d([0, 1], 'int32');
      return [crossEntropy(logits, y).arraySync(), stackedAccuracy(logits, y).arraySync()];
    });
    expect(ce.length).toBe(2);
    expect(acc.every((a) => a >= 0 && a <= 1)).toBe(true);
    disposeMlp(mlp);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('architectures', () => {
  it('summarize, summarizeResNet and summarizeModelJson work alone (no tfjs needed)', () => {
    const s = summarize('resnet50', { resolution: 224 });
    expect(s.params).toBe(25_557_032);
    expect((s.macs / 1e9).toFixed(2)).toBe('4.09');
    expect(summarize('mobilenet_v2', { resolution: 224 }).params).toBe(3_504_872);
    expect(summarizeResNet({ block: 'basic', layers: [1], planes: [4], stem: 'cifar', stemWidth: 4, classes: 2 }, 8).params).toBe(3 * 9 * 4 + 8 + 2 * (9 * 16 + 8) + 4 * 2 + 2);
    const json = JSON.stringify({ class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 3, batch_input_shape: [null, 4] } }] } });
    expect(summarizeModelJson(json).params).toBe(15);
  });
});

describe('efficientnet', () => {
  it('compound, family, tinyCost, summarizeEfficientNet, parseResults and trainChild work alone', async () => {
    expect(compound(1).flops).toBeCloseTo(1.2 * 1.1 ** 2 * 1.15 ** 2, 12);
    expect(family()[3].params).toBe(12_233_232);
    expect(summarize('efficientnet_b3').params).toBe(12_233_232);
    expect(summarizeEfficientNet('efficientnet_b1').params).toBe(7_794_184);
    expect(tinyCost({ depth: 1, width: 1, resolution: 1 }).macs).toBe(99_328);
    expect(() => parseResults('[]')).toThrow(/not an EfficientNet search export/);
    const before = tf.memory().numTensors;
    const count = 8;
    const digits: MnistArrays = { count, rows: 28, cols: 28, images: new Uint8Array(count * 784).map((_, i) => (i * 17) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i % 10) };
    const r = await trainChild({ depth: 1, width: 1, resolution: 1 }, { train: digits, test: digits, trainCount: count, testCount: count }, { steps: 1, batch: 4, lr: 1e-3, seed: 1 });
    expect(r.accuracy).toBeGreaterThanOrEqual(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('momentum', () => {
  it('the closed forms and createRun work alone', async () => {
    const before = tf.memory().numTensors;
    const L = momentum.spectrum(0.01, 1, 3);
    expect(L[1]).toBeCloseTo(0.1, 12);
    expect(momentum.iterationMatrix('heavy', 1, 0.5, 1)).toEqual([0.5, 1, -0.5, 0]);
    expect(momentum.characteristic('nesterov', 1, 0.5, 0.5).det).toBeCloseTo(0.25, 12);
    expect(momentum.spectralRadius('heavy', 1, 0.81, 0.5)).toBeCloseTo(0.9, 12);
    expect(momentum.regime('heavy', 1, 0.81, 0.5)).toBe('oscillating');
    expect(momentum.stableLimit('nesterov', 0.5)).toBeCloseTo(1.5, 12);
    expect(momentum.criticalMomentum('heavy', 0.25, 1)).toBeCloseTo(0.25, 12);
    expect(momentum.spectrumRate('gd', 1, 0, L)).toBeCloseTo(0.99, 12);
    expect(momentum.optimum('heavy', 0.01, 1).rate).toBeCloseTo(9 / 11, 12);
    expect(momentum.nesterovClassic(0.01, 1).rate).toBeCloseTo(0.9, 9);
    expect(momentum.predictedSteps(0.1)).toBe(6);
    expect(momentum.directIteration('gd', 1, 0, [0.5], 2)[2]).toBeCloseTo(0.25, 12);
    expect(momentum.stepsToReach('gd', 1, 0, [1])).toBe(1);
    expect(momentum.planeBox(2).xMax).toBeCloseTo(2.1, 12);
    expect(momentum.ratePlane('heavy', L, 3, 2).length).toBe(6);
    expect(momentum.eigenbasis(2, Math.PI / 2)[1]).toBeCloseTo(-1, 12);
    expect(momentum.hessian([1, 2], 0)[3]).toBe(2);
    const run = momentum.createRun({ lambdas: L, methods: ['heavy', 'adam'] });
    const f = await run.step(3);
    expect(f.at).toEqual([0, 1, 2, 3]);
    expect(f.loss[0]).toBeCloseTo(0.5 * (0.01 + 0.1 + 1), 5);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('huffman and runtime/compress', () => {
  it('huffmanCodeLengths, the streams of a layer and the merge-by-merge build work alone', async () => {
    expect(huffmanCodeLengths([8, 4, 2, 1, 1, 0])).toEqual([1, 2, 3, 4, 4, 0]);
    expect(huffmanCodeLengths([5])).toEqual([1]);
    expect(entropyBits([1, 1])).toBe(1);
    const km = kmeans1d([0, 0.1, 1, 1.1], 2);
    expect(clusterCounts(km.assignments, 2)).toEqual([2, 2]);
    const mask = magnitudeMask([0.5, 0, 0, 0, 0, -0.7], 1 / 3);
    expect(Array.from(positionsFromGaps(relativeIndices(mask, 2).symbols))).toEqual([0, 4, 5]);
    const rng = mulberry32(1);
    const layer = { name: 'fc', inputs: 20, units: 10, kernel: Float32Array.from({ length: 200 }, () => rng() - 0.5), bias: new Float32Array(10) };
    const s = layerStreams(layer, { keep: 0.25, bits: 3, indexBits: 2 });
    expect(s.kept).toBe(50);
    const sim = createHuffmanBuild(s.weightCounts);
    expect((await sim.step(100)).done).toBe(s.weightCounts.filter((c) => c > 0).length - 1);
    sim.dispose();
    const enc = huffmanEncode([0, 0, 0, 2, 1], 3);
    expect(Array.from(huffmanDecode(enc.bits, enc.lengths, 5))).toEqual([0, 0, 0, 2, 1]);
  });
});

describe('pruning and runtime/compress/csr', () => {
  it('createPruning, pruningFor, keptShares, pruneMasks, maskImages, timeProducts and the CSR helpers work alone', async () => {
    const before = tf.memory().numTensors;
    const rng = mulberry32(2);
    const dense = (name: string, inputs: number, units: number) => ({ name, inputs, units, kernel: Float32Array.from({ length: inputs * units }, () => rng() - 0.5), bias: new Float32Array(units) });
    const layers = [dense('fc1', 784, 6), dense('fc2', 6, 4), dense('output', 4, 10)];
    const digits: MnistArrays = { count: 8, rows: 28, cols: 28, images: Uint8Array.from({ length: 8 * 784 }, () => Math.floor(rng() * 256)), labels: Uint8Array.from({ length: 8 }, (_, i) => i) };
    const sim = createPruning(layers, { train: digits, test: digits }, { keep: [0.5, 0.5, 0.5], lr: 1e-3, batchSize: 4, seed: 1 });
    const f = await sim.step(2);
    expect(f.steps).toBe(2);
    expect(f.accuracy).toBeGreaterThanOrEqual(0);
    sim.dispose();
    expect(keptShares({ keep1: 50, keep2: 25, keep3: 100, seed: 1 })).toEqual([0.5, 0.25, 1]);
    const run = pruningFor(layers, { train: digits, test: digits }, { keep1: 50, keep2: 50, keep3: 50, seed: 1 });
    expect((await run.step(1)).steps).toBe(1);
    run.dispose();
    expect(pruningRunUnits(300, 1000)).toBe(300 + 30 * 8); // 300 steps, 30 measurements of 8 chunks
    const masks = pruneMasks(layers, [0.5, 0.5, 0.5]);
    expect(maskImages(layers, masks)[0].width).toBe(28);
    expect(encodingTable(layers, masks, 5).total.dense).toBe(4 * (784 * 6 + 6 * 4 + 4 * 10));
    const t = await timeProducts(layers[0], masks[0], new Float32Array(2 * 784).fill(0.5), 2, 1);
    expect(t.density).toBeCloseTo(0.5, 2);
    const csr = toCsr([1, 0, 0, 2], 2, 2, [1, 0, 0, 1]);
    expect(Array.from(csrMatMul(Float32Array.from([3, 4]), 1, csr))).toEqual([3, 8]);
    expect(encodingBytes(2, 2, 2, 2, 5).dense).toBe(16);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('quantization and runtime/compress/mlp', () => {
  it('shareWeights, histogram, initialCentroids, createMlpScorer and createQuantization work alone', async () => {
    const before = tf.memory().numTensors;
    const rng = mulberry32(3);
    const dense = (name: string, inputs: number, units: number) => ({ name, inputs, units, kernel: Float32Array.from({ length: inputs * units }, () => rng() - 0.5), bias: new Float32Array(units) });
    const layers = [dense('fc1', 784, 6), dense('fc2', 6, 4), dense('output', 4, 10)];
    const s = shareWeights(layers[1], 2);
    expect(new Set(s.layer.kernel).size).toBeLessThanOrEqual(4);
    expect(countHistogram([0, 0.5, 1], 2, 0, 1).reduce((a, b) => a + b, 0)).toBe(3);
    expect(Array.from(initialCentroids(Float64Array.from([0, 1, 2, 3]), 2, 'density'))).toEqual([1, 3]);
    const images = Float32Array.from({ length: 4 * 784 }, () => rng());
    const labels = [0, 1, 2, 3];
    const scorer = createMlpScorer(layers, images, labels, 4);
    const a = await scorer.accuracy(new Map([[1, s.layer]]));
    expect(a * 4).toBe(Math.round(a * 4));
    scorer.dispose();
    const sim = createQuantization(layers, { images, labels, count: 4 }, { layer: 'all', bits: 1, init: 'random', seed: 2 });
    expect((await sim.step(3)).steps).toBe(3);
    sim.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('deep-compression and runtime/compress pipeline, format and tied training', () => {
  it('deepCompression, encode/decodeNetwork, trainTied, createDecodedScore and their helpers work alone', async () => {
    const before = tf.memory().numTensors;
    const rng = mulberry32(4);
    const dense = (name: string, inputs: number, units: number) => ({ name, inputs, units, kernel: Float32Array.from({ length: inputs * units }, () => rng() - 0.5), bias: new Float32Array(units) });
    const layers = [dense('fc1', 784, 8), dense('fc2', 8, 6), dense('output', 6, 10)];
    const digits: MnistArrays = { count: 16, rows: 28, cols: 28, images: Uint8Array.from({ length: 16 * 784 }, () => Math.floor(rng() * 256)), labels: Uint8Array.from({ length: 16 }, (_, i) => i % 10) };
    const cfg = { ...DEEP_COMPRESSION_CONFIG, keep: [0.5, 0.5, 0.5], bits: [3, 3, 3], pruneRounds: 1, retrainSteps: [2], fineTuneSteps: 2, batchSize: 8 };
    const r = await deepCompression(layers, digits, digits, cfg);
    expect(r.stages.length).toBe(4);
    expect(stageLine(r.stages[3])).toContain('stage: huffman');
    expect(denseBytes(layers)).toBe(r.stages[0].bytes);
    const decoded = decodeNetwork(r.encoded.huffman).layers;
    expect(await decodedAccuracy(decoded, digits)).toBe(r.stages[3].accuracy);
    const mask = Uint8Array.from(layers[1].kernel, (_, i) => i % 2);
    const bytes = encodeNetwork([{ ...layers[1], mask }], 'pruned', 4);
    expect(decodeNetwork(bytes).layers[0].kernel[1]).toBe(layers[1].kernel[1]);
    const tied = { inputs: 2, units: 1, tie: Int32Array.from([0, -1]), values: Float32Array.of(0.5), bias: new Float32Array(1) };
    expect(Array.from(tiedKernel(tied))).toEqual([0.5, 0]);
    expect(Array.from(tiedGradient(tied.tie, [1, 2], 1))).toEqual([1]);
    const small = [{ inputs: 784, units: 10, tie: Int32Array.from({ length: 7840 }, (_, i) => i % 3), values: Float32Array.of(-0.01, 0, 0.01), bias: new Float32Array(10) }];
    expect(Number.isFinite(trainTied(small, digits, { steps: 2, batchSize: 4, lr: 1e-3, seed: 1 }))).toBe(true);
    const sim = createDecodedScore(r.encoded.quantized, layers, digits, 16, 8);
    expect((await sim.step(1)).scored).toBe(8);
    sim.dispose();
    const wb = layerTensors(layers);
    const logits = tf.tidy(() => mlpLogits(tf.zeros([1, 784]), wb));
    expect(logits.shape).toEqual([1, 10]);
    tf.dispose([...wb, logits]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('mnist-live and runtime/models', () => {
  it('buildCnn, predict, trainClassifier and accuracy run on a few synthetic digits', async () => {
    const n = 8;
    const rng = mulberry32(4);
    const digits: MnistArrays = {
      count: n,
      rows: 28,
      cols: 28,
      images: Uint8Array.from({ length: n * 784 }, () => Math.floor(rng() * 256)),
      labels: Uint8Array.from({ length: n }, (_, i) => i % 10),
    };
    const model = buildCnn(10, 1);
    const probs = await predict(model, new Float32Array(784).fill(0.5));
    expect(probs.length).toBe(10);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(argMax(probs)).toBeGreaterThanOrEqual(0);
    const recipe = { epochs: 1, batchSize: 4, optimizer: 'adam', learningRate: 1e-3, lrDecayPerEpoch: 1, seed: 1, validationCount: 0 } as const;
    const result = await trainClassifier(model, digits, { recipe, maxSteps: 2 });
    expect(result.steps).toBe(2);
    const acc = await accuracy(model, digits);
    expect(acc.count).toBe(n);
    model.dispose();
    const mlp = buildMlp(1);
    expect(summarizeLayers(mlp).reduce((s, l) => s + l.params, 0)).toBe(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10);
    mlp.dispose();
  });
});

describe('runtime/train', () => {
  it('createFlatTrainer fits a line', async () => {
    const trainer = createFlatTrainer(
      [{ name: 'w', shape: [1], values: new Float32Array([0]) }],
      (p, x, y) => tf.mean(tf.square(tf.sub(tf.mul(p.w, x), y))) as tf.Scalar,
      { kind: 'sgd', lr: 0.1 },
    );
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.tensor1d([2, 4, 6]);
    for (let i = 0; i < 50; i++) trainer.step(x, y);
    expect((await trainer.read())[0]).toBeCloseTo(2, 3);
    tf.dispose([x, y]);
    trainer.dispose();
  });
});

describe('init', () => {
  it('createInitRun and the predictions work alone, and bad configurations get a message', async () => {
    const before = tf.memory().numTensors;
    expect(predictedForwardStd('he', [4, 4, 2])).toEqual([Math.SQRT2, Math.SQRT2].map((v) => expect.closeTo(v, 12)));
    const run = createInitRun({ depth: 3, width: 8, probe: 16 });
    const f = await run.step(5); // no digits: nothing trains
    const again = await run.step(5); // and asking again (an autoplaying view does) just repeats the measurement
    run.dispose();
    expect(again.steps).toBe(0);
    expect(again.propagation).toEqual(f.propagation);
    expect(f.steps).toBe(0);
    expect(f.propagation.forward).toHaveLength(4);
    expect(f.propagation.backward[0].length).toBe(4); // one entry per initialisation
    expect(f.testLoss).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => createInitRun({ inits: [] })).toThrow(/at least one/);
    expect(() => createInitRun({ depth: 0 })).toThrow(/depth/);
  });
});

describe('distillation', () => {
  it('the soft-target maths, the teacher logits and createDistillRun work alone; bad configurations get a message', async () => {
    expect(softmaxAt([0, Math.log(3)], 1)[1]).toBeCloseTo(0.75, 12);
    expect(distillLoss([0, 0], [0, 0], 0, 2, 0.5).total).toBeCloseTo(Math.LN2 * (0.5 + 0.5 * 4), 12);
    expect(softGradient([1, 0], [1, 0], 3)[0]).toBeCloseTo(0, 12);
    // Twenty random 28×28 "digits", two of each class, and an untrained CNN as the teacher.
    const rng = mulberry32(5);
    const images = Uint8Array.from({ length: 20 * 784 }, () => Math.floor(rng() * 256));
    const data: MnistArrays = { count: 20, rows: 28, cols: 28, images, labels: Uint8Array.from({ length: 20 }, (_, i) => i % 10) };
    expect(Array.from(fewPerClass(data, 2, 1)).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const teacher = buildCnn(10, 3);
    const before = tf.memory().numTensors;
    const z = await digitLogits(teacher, new Float32Array(784).fill(0.5));
    expect(z).toHaveLength(10);
    const zs = tf.tidy(() => teacherLogits(teacher, tf.fill([1, 28, 28, 1], 0.5) as tf.Tensor4D).arraySync()[0]);
    zs.forEach((v, k) => expect(v).toBeCloseTo(z[k], 4));
    const run = createDistillRun({ perClass: 2, width: 8, total: 3 }, { train: data, test: data, teacher });
    const f0 = await run.step(0);
    const f = await run.step(5);
    run.dispose();
    expect(f0.accuracy[0]).toBeCloseTo(f0.accuracy[1], 6); // the same initial weights
    expect(f.steps).toBe(3); // never past total
    expect(tf.memory().numTensors).toBe(before);
    teacher.dispose();
    expect(() => createDistillRun({ T: 0 }, { train: data, test: data, teacher })).toThrow(/temperature/);
    expect(() => createDistillRun({ alpha: 2 }, { train: data, test: data, teacher })).toThrow(/α/);
    expect(() => createDistillRun({ perClass: 3 }, { train: data, test: data, teacher })).toThrow(/class/);
  });
});

describe('prelu', () => {
  it('the PReLU maths, the stacked prelu and createPreluRun work alone; bad configurations get a message', async () => {
    expect(preluAt(-2, 0.25)).toBeCloseTo(-0.5, 12);
    expect(preluDerivative(-1, 0.3)).toBe(0.3);
    expect(slopeGradient([-1, 1], [2, 3], 2)[0]).toBeCloseTo(-2, 12);
    const before = tf.memory().numTensors;
    const y = tf.tidy(() => Array.from(prelu(tf.tensor3d([-2, 3], [1, 1, 2]), tf.tensor3d([0.5, 0.5], [1, 1, 2])).dataSync()));
    expect(y).toEqual([-1, 3]);
    const run = createPreluRun({ width: 4 });
    const f = await run.step(5); // no digits: nothing trains, the slopes are reported
    run.dispose();
    expect(f.steps).toBe(0);
    expect(f.accuracy).toBeNull();
    expect(f.slopes[0][0]).toBeCloseTo(0.25, 6);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => createPreluRun({ width: 0 })).toThrow(/width/);
    expect(() => createPreluRun({ lr: 0 })).toThrow(/learning rate/);
  });
});

describe('batchnorm', () => {
  it('the BN functions, the layer and createBnRun work alone, and bad configurations get a message', async () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([1, 2, 3, 5, 0, -1], [3, 2]);
    const [g, b] = [tf.ones([2]), tf.zeros([2])];
    const tr = batchNormTrain(x, g, b);
    expect(Array.from(await tr.mean.data())).toEqual([4 / 3, 2].map((v) => expect.closeTo(v, 6)));
    const up = tf.onesLike(x);
    const back = batchNormBackward(up, x, g);
    expect(Array.from(await back.dx.data()).every((v) => Math.abs(v) < 1e-5)).toBe(true); // a uniform upstream gradient is cancelled by the mean
    const run = updateRunning({ mean: tr.mean, variance: tr.variance }, tr, 3, 1);
    const inf = batchNormInfer(x, run.mean, run.variance, g, b);
    const layer = new BatchNorm(2);
    const y = layer.forward(x, true);
    tf.dispose([x, up, g, b, tr.y, tr.mean, tr.variance, back.dx, back.dgamma, back.dbeta, run.mean, run.variance, inf, y]);
    layer.dispose();
    expect(Array.from(shareHistogram([-1, 0.5, 9], -1, 1, 2))).toEqual([1 / 3, 2 / 3].map((v) => expect.closeTo(v, 6)));

    const rng = mulberry32(3);
    const n = 12;
    const digits: MnistArrays = { count: n, rows: 28, cols: 28, images: Uint8Array.from({ length: n * 784 }, () => Math.floor(rng() * 256)), labels: Uint8Array.from({ length: n }, (_, i) => i % 10) };
    const sim = createBnRun({ depth: 2, width: 4, batchSize: 4, probe: 4 }, { train: digits, test: digits });
    const f = await sim.step(3 * BN_STEP_UNITS); // three steps, one net's half per unit
    sim.dispose();
    expect(f.steps).toBe(3);
    expect(f.snapshots[0].hist).toHaveLength(2);
    expect(f.trainLoss).toHaveLength(2);
    const idle = createBnRun({}, null);
    expect((await idle.step(5)).steps).toBe(0); // no digits: nothing trains
    idle.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => createBnRun({ batchSize: 1 })).toThrow(/at least 2/);
    expect(() => createBnRun({ depth: 0 })).toThrow(/depth/);
  });
});

describe('inception', () => {
  it('moduleCost, createModule and runModule work alone', async () => {
    const before = tf.memory().numTensors;
    expect(moduleCost(INCEPTION_3A).weights).toBe(163328);
    expect(stemFilters()).toHaveLength(72);
    const m = createModule({ ...INCEPTION_3A, size: 4, cin: 3 });
    const x = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    const { branches, concat } = m.apply(x);
    expect(concat.shape).toEqual([1, 4, 4, 256]);
    tf.dispose([x, concat, ...branches]);
    m.dispose();
    const run = await runModule(new Float32Array(784).fill(0.5), INCEPTION_3A, 1, 2);
    expect(run.outChannels).toBe(256);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('labelsmooth', () => {
  it('createSmoothRun and the calibration maths work alone, and bad configurations get a message', async () => {
    const before = tf.memory().numTensors;
    expect(smoothTarget(1, 4, 0.4)[1]).toBeCloseTo(0.7, 12);
    expect(optimalLogitGap(10, 0.1)).toBeCloseTo(Math.log(91), 12);
    expect(reliability([0.9], [1], 10).ece).toBeCloseTo(0.1, 12);
    const run = createSmoothRun({ width: 8 });
    const f = await run.step(5); // no digits: nothing trains
    const again = await run.step(5);
    run.dispose();
    expect(f.steps).toBe(0);
    expect(again.steps).toBe(0);
    expect(f.test).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => createSmoothRun({ eps: 2 })).toThrow(/ε/);
    expect(() => createSmoothRun({ width: 0 })).toThrow(/width/);
  });
});

describe('nin', () => {
  it('the head counts, mix1x1, createHeadRace and classMaps work alone on an untrained network', async () => {
    const before = tf.memory().numTensors;
    expect(fcHeadParams({ side: 6, channels: 256, classes: 1000, hidden: 4096, layers: 2 })).toBe(58_631_144);
    expect(gapHeadParams({ channels: 256, classes: 1000 })).toBe(257_000);
    const out = await mix1x1(new Float32Array([1, 2, 3, 4]), [1, 2, 2], [0.5, -1], 0, false);
    expect(Array.from(out)).toEqual([-1.5, -2.5]);
    const net = buildCnnGap(1);
    const { maps, probs, shape } = await classMaps(net, new Float32Array(784).fill(0.5));
    expect(shape).toEqual([8, 8, 10]);
    expect(maps.length).toBe(640);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const pixels = (n: number) => ({ images: new Float32Array(n * 784).fill(0.3), labels: new Uint8Array(n), count: n });
    const race = createHeadRace(trunk(net, 'conv2'), pixels(4), pixels(2), { chunk: 4, total: 2, batchSize: 2 });
    const f = await race.step(5);
    expect(f).toMatchObject({ extracted: 1, trained: 2 });
    race.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('invariance (runtime/models/transform.ts and demos/invariance)', () => {
  it('the transforms, the sweep, the accuracy under motion and the shift gap work alone, on untrained networks', async () => {
    const before = tf.memory().numTensors;
    const nets = [buildInvariance('stride', 1), buildInvariance('pool', 2)];
    const pixels = new Float32Array(784);
    pixels[14 * 28 + 14] = 1;
    expect(motionMatrix({ dx: 1, dy: 0, degrees: 0 })).toEqual([1, -0, -1, 0, 1, 0, 0, 0]);
    const moved = moveDigit(pixels, [{ dx: 2, dy: 0, degrees: 0 }]);
    expect((await moved.data())[14 * 28 + 16]).toBeCloseTo(1, 6);
    const again = moveImages(moved, randomMotions(1, { shift: 1, degrees: 5 }, mulberry32(1)));
    expect(again.shape).toEqual([1, 28, 28, 1]);
    tf.dispose([moved, again]);
    const r = await sweepDigit(nets, pixels, 'x', { dx: 1, dy: 0, degrees: 10 }, 3);
    expect(r.curves[1]).toHaveLength(17);
    expect(r.target).toBe(3);
    expect(invArgMax([0, 2, 1])).toBe(1);
    expect(sweepMotions('rotate')).toHaveLength(19);
    const x = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
    expect(await accuracyUnderMotion(nets[0], x, [0, 1], [{ dx: 0, dy: 0, degrees: 0 }])).toHaveLength(1);
    x.dispose();
    expect(await shiftGap(layerFunction(nets[1], 'conv1'), pixels, 1, 1)).toBeLessThan(1e-6);
    nets.forEach((n) => n.dispose());
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('augment (runtime/data/images.ts, scripts/images-node.ts and demos/augment)', () => {
  it('the photo is prepared, loaded and checked; PCA, the colour shift and the augmentations work alone', async () => {
    const before = tf.memory().numTensors;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'images-'));
    try {
      prepareImages(dir);
      const photo = await loadRgbImage('mandrill', { baseUrl: '/', fetch: fileFetch(dir) });
      expect(photo.pixels).toEqual(loadMandrillNode().pixels);
      await expect(loadRgbImage('nope', { baseUrl: '/', fetch: fileFetch(dir) })).rejects.toThrow(/not in/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(() => decodePng(new Uint8Array(8))).toThrow(/not a PNG/);
    expect(symmetricEigen3([2, 0, 0, 0, 1, 0, 0, 0, 3]).values).toEqual([3, 2, 1]);
    const small = { width: 112, height: 112, pixels: Uint8Array.from({ length: 112 * 112 * 3 }, (_, i) => i % 251) };
    const pca = await rgbPca([small]);
    expect(pcaShift(pca, [0, 0, 0])).toEqual([0, 0, 0]);
    const cfg = { scale: [112, 112] as [number, number], randomCrop: true, flip: true, sigma: 0.1, count: 2, seed: 1 };
    expect(drawSamples(cfg, pca)).toHaveLength(2);
    expect((await augment(small, pca, cfg)).samples).toHaveLength(2 * 112 * 112 * 3);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('vgg', () => {
  it('receptiveFields and effectiveField work alone', async () => {
    const before = tf.memory().numTensors;
    expect(receptiveFields(PRESETS.vgg16.layers).at(-1)).toEqual({ field: 196, jump: 16 });
    const e = await effectiveField(PRESETS.vgg.layers, { weights: 'random', relu: true, channels: 2, seed: 1, batch: 1 });
    expect(e.box.size).toBe(7);
    expect(Math.max(...e.values)).toBeCloseTo(1, 6);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('fgsm (runtime/models/attacks.ts and demos/fgsm)', () => {
  it('the attacks, the digit attack and the curve helpers work alone, on an untrained CNN', async () => {
    const net = buildCnn(10, 4);
    const rng = mulberry32(9);
    const images = Uint8Array.from({ length: 2 * 784 }, () => Math.floor(rng() * 256));
    const data: MnistArrays = { count: 2, rows: 28, cols: 28, images, labels: Uint8Array.from([0, 1]) };
    const before = tf.memory().numTensors;
    const x = tf.fill([1, 28, 28, 1], 0.5) as tf.Tensor4D;
    const y = tf.tensor1d([3], 'int32');
    const outs = [logits(net, x), attackLoss(net, x, y), inputGradient(net, x, y), fgsm(net, x, y, 0.1), pgd(net, x, y, { epsilon: 0.1, steps: 1, stepSize: 0.05 }), project(x, x, 0.1), attack(net, x, y, curvePgd(0.1, 1))];
    expect(outs[0].shape).toEqual([1, 10]);
    expect(outs[2].shape).toEqual([1, 28, 28, 1]);
    tf.dispose([x, y, ...outs]);
    const t = await attackRange(net, data, 0, 2, { kind: 'fgsm', epsilon: 0.2 });
    expect(t.count).toBe(2);
    expect((await attackSet(net, data, { kind: 'fgsm', epsilon: 0 }, { batchSize: 1 })).count).toBe(2);
    expect(summarizeTally({ count: 4, wrong: 2, wrongConfidenceSum: 1 })).toEqual({ error: 0.5, meanConfidence: 0.5 });
    const r = await attackDigit(net, new Float32Array(784).fill(0.5), { kind: 'fgsm', epsilon: 0.1 });
    expect(r.image).toHaveLength(784);
    expect(fgsmArgMax([0.1, 0.7, 0.2])).toBe(1);
    expect(linearShift([1, -2], 0.5)).toBe(1.5);
    expect(curve({ epsilons: [0], counts: Uint32Array.from([2, 0, 0, 0]), wrong: Uint32Array.from([1, 0, 0, 0]), total: 2 }, 0, 0)).toEqual([0.5]);
    expect(cell(1, 1, 0, 1)).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});

describe('carlini-wagner (runtime/models/cw.ts and demos/carlini-wagner)', () => {
  it('the batched attack, its summary and the one-digit simulation work alone, on an untrained CNN', async () => {
    const net = buildCnn(10, 6);
    const before = tf.memory().numTensors;
    const run = createCw(net, new Float32Array(784).fill(0.3), [1], { iterations: 1, searchSteps: 2 });
    const f = await run.step(5);
    expect(f.steps).toBe(2);
    expect(f.logits).toHaveLength(10);
    run.dispose();
    const sim = createCwDigit(net, new Float32Array(784).fill(0.3), 4, { iterations: 1, searchSteps: 1 });
    const g = await sim.step(1);
    expect(g.delta).toHaveLength(784);
    sim.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(cwSummary([1, Infinity, 3])).toEqual({ success: 2 / 3, meanL2: 2, count: 3 });
    expect(targetMargin([0, 2, 5], 1)).toBe(-3);
    net.dispose();
  });
});

describe('intriguing (demos/intriguing)', () => {
  it('the excitation ranking, the box-constrained attack and the transfer scoring work alone, on untrained networks', async () => {
    const a = buildCnn(10, 3);
    const b = buildCnn(10, 4);
    const before = tf.memory().numTensors;
    const images = new Uint8Array(3 * 784).map((_, i) => (i * 29) % 256);
    const data = { count: 3, rows: 28, cols: 28, images, labels: Uint8Array.from([1, 2, 3]) };
    const ex = createExcitation(a, data, { unit: 0, seed: 1, k: 2, chunk: 2 });
    const e = await ex.step(3);
    expect(e.unitTop).toHaveLength(2);
    ex.dispose();
    expect(tf.tidy(() => fc1Features(a, tf.zeros([1, 28, 28, 1]) as tf.Tensor4D).shape)).toEqual([1, 128]);
    const x = new Float32Array(784).fill(0.4);
    const run = createBoxAttack(a, x, [2], { steps: 2, rounds: 2 });
    expect((await run.step(5)).steps).toBe(4);
    run.dispose();
    const f = await runBoxAttack(a, x, [2], { steps: 1, rounds: 1 });
    expect(f.bestR).toHaveLength(784);
    const sim = createDigitTransfer(a, b, x, 5, { steps: 1, rounds: 1 });
    expect((await sim.step(1)).targetAdv).toHaveLength(10);
    sim.dispose();
    const whole = await transferDigit(a, b, x, 'next', { label: 9, chunk: 1, config: { steps: 1, rounds: 2 } });
    expect([whole.done, whole.steps, whole.goal]).toEqual([true, 2, 0]);
    expect((await predictProbs(b, x)).length).toBe(10);
    const t = await transferBatch(a, b, x, [1], { config: { steps: 1, rounds: 1 } });
    expect(t.attacked).toBe(1);
    expect((await scoreTransfer(b, x, [1], { bestR: new Float32Array(784), bestNorm: Float32Array.from([0]) })).found).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(nextC(1, true, { lo: 0, hi: Infinity })).toBe(2);
    expect(rmsDistortion(new Float32Array(784).fill(0.1))).toBeCloseTo(0.1, 6);
    expect(Array.from(rowArgMax([0.1, 0.2, 0.7], 3))).toEqual([2]);
    expect(goalClasses([9, 0])).toEqual([0, 1]);
    expect(transferRates(addTransfer(emptyTransfer(), { ...emptyTransfer(), attacked: 2, found: 1, targetWrong: 1 })).transfer).toBe(1);
    expect(Array.from(topK([1, 3, 2], 2))).toEqual([1, 2]);
    expect(purity([0, 1], [4, 4])).toBe(1);
    expect(randomDirection(4, 1)).toHaveLength(4);
    expect(Array.from(projectOnto(Float32Array.from([1, 2]), 2, 1, [1, 1]))).toEqual([3]);
    expect(Array.from(column(Float32Array.from([1, 2, 3, 4]), 2, 2, 1))).toEqual([2, 4]);
    a.dispose();
    b.dispose();
  });
});

describe('saliency', () => {
  it('createExplainer and explainChecked work alone on an untrained CNN; a bad target gets a message', async () => {
    const model = buildCnn(10, 2);
    const before = tf.memory().numTensors;
    const explainer = createExplainer(model);
    model.dispose();
    const x = Float32Array.from({ length: 784 }, (_, i) => ((i * 37) % 101) / 100);
    const r = await explainChecked(explainer, x, { target: { kind: 'class', cls: 'top' }, igSteps: 4, randomize: 'output' });
    expect(r.trained.maps.saliency).toHaveLength(784);
    expect(r.randomized?.target).toEqual(r.trained.target);
    expect(r.similarity.saliency).not.toBeNull();
    await expect(explainer.explain(x, { target: { kind: 'unit', layer: 'conv1', channel: 16 } })).rejects.toThrow(/channels 0–15/);
    explainer.dispose();
    expect(tf.memory().numTensors).toBe(before - 8); // the model's own eight weight tensors went with it
    expect(rankCorrelation([1, 2, 3], [3, 4, 9])).toBeCloseTo(1, 12);
  });
});

describe('lime', () => {
  it('createLimeRun, summarizeRuns and weightedRidge work alone on an untrained CNN; a bad setting gets a message', async () => {
    const model = buildCnn(10, 3);
    const before = tf.memory().numTensors;
    const run = createLimeRun(model, new Float32Array(784).fill(0.5), 'top', { block: 14, samples: 12, runs: 2, batch: 6 });
    let f = await run.step(0);
    while (f.steps < f.total) f = await run.step(2);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(f.runs).toHaveLength(2);
    expect(summarizeRuns(f.runs, 4, 2).tops).toHaveLength(2);
    expect(weightedRidge(Float64Array.from([0, 1]), [1, 3], [1, 1], 1, 0).coef[0]).toBeCloseTo(2, 9);
    expect(() => createLimeRun(model, new Float32Array(784), 'top', { samples: 3 })).toThrow(/samples/);
    model.dispose();
  });
});

describe('resnet', () => {
  it('createResnetRun and the residual stack work alone on a handful of digits', async () => {
    const before = tf.memory().numTensors;
    const count = 8;
    const digits: MnistArrays = { count, rows: 28, cols: 28, images: new Uint8Array(count * 784).map((_, i) => (i * 37) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i % 10) };
    const run = createResnetRun(digits, { depth: 2, width: 4, batchSize: 4, probe: 4, total: 3 });
    const f = await run.step(5);
    expect(f.steps).toBe(3);
    expect(f.gradNorms.length).toBe(4);
    expect(Number.isFinite(f.trainLoss![0]) && Number.isFinite(f.probeLoss[1])).toBe(true);
    run.dispose();
    expect(() => createResnetRun(digits, { depth: 3 })).toThrow(/even/);
    const shape = { inputs: 3, width: 2, blocks: 1, classes: 2, batchNorm: false };
    expect(residualSizes(shape)).toEqual([3, 2, 2, 2, 2]);
    expect(weightedLayers(shape)).toBe(4);
    const out = tf.tidy(() => {
      const p: Record<string, tf.Tensor> = {};
      for (const q of residualParams(shape, 1, 1)) p[q.name] = tf.tensor(q.values, q.shape);
      const h = tf.ones([1, 2, 2]) as tf.Tensor3D;
      const one = tf.ones([1, 1, 1]);
      const y = forwardResidual(shape, p, tf.ones([1, 2, 3]) as tf.Tensor3D, one);
      const block = residualBlock(shape, p, 0, h, one);
      const direct = tf.relu(tf.add(residualBranch(shape, p, 0, h), h));
      const g = weightGradNorms(shape, p, (q) => tf.sum(forwardResidual(shape, q, tf.ones([1, 2, 3]) as tf.Tensor3D, one), [1, 2]) as tf.Tensor1D);
      return [y.shape, g.shape, tf.max(tf.abs(tf.sub(block, direct))).dataSync()[0]] as const;
    });
    expect(out[0]).toEqual([1, 2, 2]);
    expect(out[1]).toEqual([4, 1]);
    expect(out[2]).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('identity-mappings', () => {
  it('measurePropagation, createPropagationRun, residualUnit and shortcutProduct work alone', async () => {
    const before = tf.memory().numTensors;
    const [m] = await measurePropagation({ variants: ['full-preact'], units: 2, width: 3, batch: 4, rounds: 2 });
    expect(m.forward.length).toBe(3);
    expect(m.backward[2]).toBeCloseTo(1, 6);
    const run = createPropagationRun({ variants: ['original', 'relu-preact'], units: 2, width: 3, batch: 4, rounds: 1 });
    expect((await run.step(1)).measured.length).toBe(1);
    run.dispose();
    const y = tf.tidy(() => residualUnit('bn-after-add', tf.ones([1, 2, 2]) as tf.Tensor3D, tf.eye(2).reshape([1, 2, 2]) as tf.Tensor3D, tf.eye(2).reshape([1, 2, 2]) as tf.Tensor3D, 1).shape);
    expect(y).toEqual([1, 2, 2]);
    expect(shortcutProduct(0.5, 2)).toEqual([0.25, 0.5, 1]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('mobilenet', () => {
  it('layerCost, mobilenetCost, separableBlockModel and createKernelTimer work alone', async () => {
    const before = tf.memory().numTensors;
    expect(layerCost({ k: 3, m: 4, n: 8, f: 2 }).separable).toBe(9 * 4 * 4 + 4 * 8 * 4);
    expect(mobilenetCost().macs).toBeGreaterThan(5e8);
    const block = separableBlockModel({ k: 3, m: 2, n: 3 }, 4);
    expect(block.countParams()).toBe(24);
    block.dispose();
    const timer = createKernelTimer({ k: 3, f: 2, channels: [2], repeats: 1 });
    const f = await timer.step(6); // a warm-up and a sample, one path per step
    expect(f.done).toBe(true);
    timer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('squeezenet', () => {
  it('fireCost, squeezenetCost and liveCheck work alone', async () => {
    expect(fireCost({ cin: 1, s: 1, e1: 1, e3: 1 }, 1).params).toBe(1 + 1 + 1 + 1 + 9 + 1);
    expect(squeezenetCost().params).toBe(1_248_424);
    const before = tf.memory().numTensors;
    const live = await liveCheck({ ...SQUEEZENET, baseE: 16, incrE: 16 }, 32);
    expect(live.output).toEqual([1, 1000]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('mobilenet-v2', () => {
  it('roundTrips and invertedResidualCost work alone', async () => {
    const before = tf.memory().numTensors;
    const [r] = await roundTrips(spiral(10), [3], 1, 'relu');
    expect(r.active.length).toBe(10);
    expect(invertedResidualCost({ h: 1, cin: 1, cout: 1, t: 1, k: 1 }).params).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('wide-resnet', () => {
  it('wrnCount and createWideRun work alone', async () => {
    expect(wrnCount(28, 10).params).toBe(36_479_194);
    const before = tf.memory().numTensors;
    const count = 8;
    const digits: MnistArrays = { count, rows: 28, cols: 28, images: new Uint8Array(count * 784).map((_, i) => (i * 29) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i % 10) };
    const run = createWideRun(digits, { thinWidth: 4, thinBlocks: 2, wideBlocks: 1, batchSize: 4, probe: 4, total: 2 });
    await run.step(3); // the first result, then one net per call
    await run.step(3);
    const f = await run.step(3);
    expect(f.steps).toBe(2);
    expect(f.probeError.length).toBe(2);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('transfer', () => {
  it('baseWeights, predictBase, kShot, targetDigits, randomLayer, netIndex, createTransferRun, curveOf and latest work alone', async () => {
    const before = tf.memory().numTensors;
    const count = 10;
    const digits: MnistArrays = { count, rows: 28, cols: 28, images: new Uint8Array(count * 784).map((_, i) => (i * 31) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i) };
    const net = buildCnn(5, 1); // cnn-0to4's architecture, untrained
    const base = baseWeights(net);
    expect(base.conv2.w.length).toBe(5 * 5 * 16 * 32);
    const p = await predictBase(net, new Float32Array(784).fill(0.5));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    net.dispose();
    expect(Array.from(kShot(digits, 1, 1).index)).toEqual([5, 6, 7, 8, 9]);
    expect(targetDigits(digits).index.length).toBe(5);
    expect(randomLayer('head', () => 0.5).w.every((v) => v === 0)).toBe(true);
    expect(netIndex(2, false)).toBe(5);
    // Scored before any step (a training step of seven CNNs is seconds on tfjs's cpu backend: model.test.ts trains on wasm).
    const one: MnistArrays = { ...digits, count: 1, images: digits.images.subarray(5 * 784, 6 * 784), labels: Uint8Array.of(5) };
    const run = createTransferRun({ k: 1, total: 1, every: 1 }, { base, train: digits, test: one });
    const f = await run.step(0);
    expect(f.steps).toBe(0);
    expect(f.accuracy.length).toBe(7);
    expect(f.accuracy.every((a) => a === 0 || a === 1)).toBe(true);
    run.dispose();
    const progress = { k: 1, seed: 1, steps: [0, 1], accuracy: Float32Array.from({ length: 14 }, (_, i) => i / 14), total: 1, testCount: 5, trainCount: 5, seconds: 0 };
    expect(curveOf(progress, 1)).toEqual([progress.accuracy[1], progress.accuracy[8]]);
    expect(latestAccuracy(progress).length).toBe(7);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('runtime grouped and timing', () => {
  it('groupedConv2d, blockDiagonalKernel, channelShuffle, shufflePermutation, receptiveChannels, timeKernel and createTimingSweep work alone', async () => {
    const before = tf.memory().numTensors;
    const x = tf.ones([1, 2, 2, 4]) as tf.Tensor4D;
    const w = tf.ones([1, 1, 2, 4]) as tf.Tensor4D;
    const y = groupedConv2d(x, w, 2);
    expect(Array.from(y.dataSync().slice(0, 4))).toEqual([2, 2, 2, 2]);
    const dense = blockDiagonalKernel(w, 2);
    expect(dense.shape).toEqual([1, 1, 4, 4]);
    const s = channelShuffle(x, 2);
    expect(s.shape).toEqual([1, 2, 2, 4]);
    expect(shufflePermutation(4, 2)).toEqual([0, 2, 1, 3]);
    expect(receptiveChannels(4, 2, 2, false)).toEqual([2, 2, 2, 2]);
    expect(await timeKernel(() => tf.add(x, x))).toBeGreaterThan(0);
    const sweep = createTimingSweep({ size: 1, paths: ['add'], repeats: 1, make: () => ({ tensors: [], paths: { add: () => tf.add(x, x) } }) });
    expect((await sweep.step(2)).done).toBe(true);
    sweep.dispose();
    tf.dispose([x, w, y, dense, s]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('resnext', () => {
  it('blockParams, equalBudgetWidth, createResnextBlock, compareForms and createFormsRun work alone', async () => {
    expect(resnextParams(32, 4)).toBe(70_144);
    expect(equalBudgetWidth(8)).toBe(14);
    const before = tf.memory().numTensors;
    const block = createResnextBlock({ cardinality: 2, d: 2, width: 4, side: 3 });
    expect((await compareForms(block)).maxDiffAC).toBeLessThan(1e-4);
    block.dispose();
    const run = createFormsRun({ cardinality: 2, width: 8, side: 2, repeats: 1 });
    expect((await run.step(8)).done).toBe(true);
    run.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('shufflenet', () => {
  it('unitCost, shufflenetCost, mac1x1, macLowerBound, shuffledChannels and createGuidelineTimer work alone', async () => {
    expect(unitCost(4, 2, 2, 1).shufflenet).toBe(8 + 18);
    expect(Math.round(shufflenetCost(3).convMacs / 1e6)).toBe(137);
    expect(mac1x1(1, 1, 2, 2)).toBe(8);
    expect(macLowerBound(1, 1, 4)).toBe(8);
    const before = tf.memory().numTensors;
    expect(shuffledChannels(4, 2)).toEqual([0, 2, 1, 3]);
    const timer = createGuidelineTimer({ guideline: 'g1', side: 1, scale: 0.05, repeats: 1 });
    expect((await timer.step(8)).done).toBe(true);
    timer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('one-stage', () => {
  it('encodeTargets, decodeScene, meanAp, focalTerm, lossShares, detect and createDetector work alone', async () => {
    const scene = { size: 64, image: new Float32Array(64 * 64), mask: new Uint8Array(64 * 64), objects: [{ cls: 3, box: [10, 12, 30, 40] as const, source: 0 }] };
    expect(encodeTargets([scene]).objects).toBe(1);
    expect(decodeScene(new Float32Array(64 * 15).fill(-20))).toEqual([]);
    expect(oneStageMeanAp([[{ cls: 3, box: [10, 12, 30, 40], score: 0.9 }]], [scene]).map).toBe(1);
    expect(focalTerm(0.5, 0)).toBeCloseTo(Math.LN2, 12);
    expect(lossShares({ p: Float32Array.of(0.01, 0.9), label: Uint8Array.of(0, 1) }, 2, 0.25).counts.positives).toBe(1);
    const before = tf.memory().numTensors;
    const r = await detect(initialFlat(1), [scene]);
    expect(r.cells.p.length).toBe(64);
    const count = 8;
    const digits: MnistArrays = { count, rows: 28, cols: 28, images: new Uint8Array(count * 784).map((_, i) => (i * 29) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i % 10) };
    // Its training steps run in model.test.ts on wasm (a step costs seconds on the cpu backend): here it is built, read and run.
    const det = createDetector(digits, { seed: 1, batchSize: 2, lr: 0.001, trainScenes: 4, gamma: 2, alpha: 0.25, lambdaBox: 5, total: 10 });
    expect(await det.read()).toEqual(initialFlat(1));
    expect((await det.detect([scene])).cells.label[3 * 8 + 2]).toBe(1);
    det.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('pose', () => {
  it('keypointOf, targetHeatmaps, peakInBox, keypointsFromHeatmaps, pck, upsample2, predictHeatmaps and createKeypointNet work alone', async () => {
    const image = new Float32Array(48 * 48);
    const mask = new Uint8Array(48 * 48);
    for (let c = 10; c < 16; c++) for (let r = 8; r < 20; r++) {
      image[r * 48 + c] = 1;
      mask[r * 48 + c] = 3;
    }
    const scene = { size: 48, image, mask, objects: [{ cls: 2, box: [10, 8, 16, 20] as [number, number, number, number], source: 0 }] };
    expect(keypointOf(scene, scene.objects[0], 'top')).toEqual({ x: 13, y: 8.5 });
    const heat = targetHeatmaps([scene], 'top');
    expect(peakInBox(heat, scene.objects[0].box).y).toBeCloseTo(8.5, 4);
    expect(keypointsFromHeatmaps(heat, [scene], 'top')[0][0].normDist).toBeLessThan(0.01);
    expect(pck([0.05, 0.3], 0.1)).toBe(0.5);
    const before = tf.memory().numTensors;
    const x = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    const up = upsample2(x);
    expect(up.shape).toEqual([1, 4, 4, 1]);
    tf.dispose([x, up]);
    expect((await predictHeatmaps(poseInitialFlat(1), [scene])).length).toBe(24 * 24);
    const count = 4;
    const digits: MnistArrays = { count, rows: 28, cols: 28, images: new Uint8Array(count * 784).map((_, i) => (i * 29) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i) };
    // Its training steps run in model.test.ts on wasm: here it is built, read and run.
    const net = createKeypointNet(digits, { seed: 1, kind: 'centre', batchSize: 1, lr: 0.001, trainScenes: 2, total: 1 });
    expect(await net.read()).toEqual(poseInitialFlat(1));
    expect((await net.heatmaps([scene])).length).toBe(24 * 24);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('se', () => {
  it('exciteDigits, classExcitations, rankChannels, seCost, hiddenUnits and buildCnnSe work alone', async () => {
    const before = tf.memory().numTensors;
    const net = buildCnnSe(1);
    const r = await exciteDigits(net, new Float32Array(2 * 784).fill(0.5), { maps: true });
    expect(r.blocks.map((b) => b.s.length)).toEqual([32, 64]);
    expect(r.blocks[1].u).toHaveLength(2 * 11 * 11 * 32);
    const digits = { count: 2, rows: 28, cols: 28, images: new Uint8Array(2 * 784).fill(128), labels: Uint8Array.from([3, 4]) };
    expect((await classSurvey(net, digits, 5)).blocks).toHaveLength(2);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(classExcitations([0.2, 0.4], [1, 2], 1).classSpread).toBeCloseTo(0.1, 6);
    expect(rankChannels([0.1, 0.3])).toEqual([1, 0]);
    expect(seCost(CNN_SE_STAGES, 4).params).toBe(700);
    expect(hiddenUnits(16, 32)).toBe(1);
    expect(Array.from(rescaledMap([1, 2], 3, 1, 2))).toEqual([6]);
  });
});

describe('stn (runtime/models/sampler.ts and demos/stn)', () => {
  it('the sampler, θ from parts, the distortions, rectify, sampleByHand and createStnRace work alone', async () => {
    const before = tf.memory().numTensors;
    const u = tf.ones([1, 3, 3, 1]) as tf.Tensor4D;
    const th = tf.tensor2d([thetaFromParts({ degrees: 0, scale: 1, shear: 0, tx: 0, ty: 0 })]);
    const v = spatialTransform(u, th, 3, 3);
    expect(Array.from(await v.data())).toEqual(Array(9).fill(1));
    const grid = affineGrid(th, 2, 2);
    const w = bilinearSample(u, grid, 2, 2);
    expect((await w.data()).length).toBe(4);
    const t = targetGrid(2, 3);
    expect(t.shape).toEqual([6, 2]);
    tf.dispose([u, th, grid, t, v, w]);
    const pixels = new Float32Array(784).fill(0.5);
    expect(distort(pixels, randomDistortions(1, () => 0.5))).toHaveLength(36 * 36);
    const set = distortedSet(pixels, [3], 1);
    const r = await rectify(stnInitialFlat(1), set.canvases);
    expect(r.rectified).toHaveLength(784);
    expect(await sampleByHand(set.canvases, [1, 0, 0, 0, 1, 0])).toHaveLength(784);
    tf.dispose(Object.values(stnUnflatten(stnInitialFlat(1))));
    const race = createStnRace(new Float32Array(4 * 784).fill(0.2), [0, 1, 2, 3], { seed: 1, batchSize: 2, lr: 1e-3 });
    expect((await race.train(1)).stn).toBeGreaterThan(0);
    race.dispose();
    expect(stnCounts().stn).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('capsules', () => {
  it('squash, dynamicRouting, marginLoss, routeParts, initCapsNet, traceDigit and couplingMap work alone', async () => {
    const before = tf.memory().numTensors;
    expect(capsules.squashLength(1)).toBe(0.5);
    const v = tf.tidy(() => capsules.squash(tf.tensor1d([3, 4])));
    expect((await v.data())[0]).toBeCloseTo((25 / 26) * 0.6, 6);
    const u = tf.ones([1, 2, 3, 2]) as tf.Tensor4D;
    const r = capsules.dynamicRouting(u, 2);
    expect(Array.from(await r.c.data()).every((c) => Math.abs(c - 1 / 3) < 1e-6)).toBe(true);
    const l = tf.tidy(() => capsules.marginLoss(tf.tensor2d([[0.95, 0.05]]), tf.tensor2d([[1, 0]])));
    expect((await l.data())[0]).toBe(0);
    tf.dispose([v, u, r.v, r.c, l]);
    expect(tf.memory().numTensors).toBe(before);
    const parts = await capsules.routeParts(capsules.HOUSE_PARTS, 2);
    expect(parts.lengths.length).toBe(4);
    const net = capsules.initCapsNet(2);
    const t = await capsules.traceDigit(net, new Float32Array(784), 1);
    expect(capsules.couplingMap(t, 0, 3).length).toBe(36);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('cost-volume', () => {
  it('makeFrames, costVolume, winnerTakeAll, pixelCosts, endPointError, evidenceOf, flowReport and matchFrames work alone', async () => {
    const count = 2;
    const digits: MnistArrays = { count, rows: 28, cols: 28, images: new Uint8Array(count * 784).map((_, i) => ((i % 28) * 7 + Math.floor(i / 28) * 3) % 256), labels: Uint8Array.of(1, 2) };
    const frames = makeFrames(digits, 1);
    const before = tf.memory().numTensors;
    const vol = await costVolume(frames.f1, frames.f2, frames.width, frames.height, 1, 0, 'ssd');
    expect(vol.length).toBe(9 * frames.width * frames.height);
    const flow = winnerTakeAll(vol, frames.width, frames.height, 1, 'ssd');
    expect(pixelCosts(vol, frames.width, frames.height, 1, 0, 0).length).toBe(9);
    expect(endPointError(flow, frames)).toBeGreaterThanOrEqual(0);
    expect(evidenceOf(9, 1)).toBe('textureless');
    expect(flowReport(flow, frames, 1).byEvidence.textureless.count).toBeGreaterThanOrEqual(0);
    const m = await matchFrames(frames, 3, 1, 'corr');
    expect(m.flow.dx.length).toBe(frames.width * frames.height);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('super-resolution', () => {
  it('psnr, ssim, the resamplers, heldOut, score, calibration, pixelShuffle, restore and createRestorers work alone', async () => {
    expect(psnr([0, 0], [0.1, 0.1])).toBeCloseTo(20, 10);
    const flat = new Float32Array(121).fill(0.5);
    expect(ssim(flat, flat, 11, 11)).toBeCloseTo(1, 12);
    expect(keysKernel(0)).toBe(1);
    expect(Array.from(areaDownsample([1, 3, 5, 7], 2, 2, 2))).toEqual([4]);
    expect(bicubicUpsample([0.2], 1, 1, 3).every((v) => Math.abs(v - 0.2) < 1e-6)).toBe(true);
    const count = 1032;
    const digits: MnistArrays = { count, rows: 28, cols: 28, images: new Uint8Array(count * 784).map((_, i) => (i * 29) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i % 10) };
    const set = heldOut(digits, 2, 2, 25, 1);
    expect(restoreScore(set.hr, set.hr, 2, 28).meanSsim).toBeCloseTo(1, 12);
    const calib = calibration(digits, 25, 1);
    const before = tf.memory().numTensors;
    expect(Array.from(tf.tidy(() => pixelShuffle(tf.tensor4d([1, 2, 3, 4], [1, 1, 1, 4]), 2).dataSync()))).toEqual([1, 2, 3, 4]);
    const start = initialFlats(2, 1);
    expect((await restore(start.sr, start.dn, set, 2, calib)).sr.length).toBe(2 * 28 * 28);
    const nets = createRestorers(digits, { seed: 1, scale: 2, sigma: 25, batchSize: 2, lr: 0.003, total: 4 });
    expect((await nets.read()).sr).toEqual(start.sr);
    expect((await nets.restore(set, calib)).dn.length).toBe(2 * 28 * 28);
    nets.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('segmentation', () => {
  it('connectivity, feeders, confusionMatrix, classIou, meanIou, pixelAccuracy, scoreMasks, segment and createSegmenter work alone', async () => {
    const before = tf.memory().numTensors;
    const c = await connectivity({ kind: 'transposed', inSize: 3, kernel: 3, stride: 2, dilation: 1, padding: 0 });
    expect(c.outSize).toBe(7);
    expect(Array.from(c.counts.subarray(0, 7))).toEqual([1, 1, 2, 1, 2, 1, 1]);
    expect(feeders(c, 0, 0)).toEqual([0]);
    const conf = confusionMatrix([0, 1, 1], [0, 1, 0], 2);
    expect(classIou(conf, 2)).toEqual([0.5, 0.5]);
    expect(segMeanIou([0.5, NaN, 1])).toBe(0.75);
    expect(pixelAccuracy(conf, 2)).toBeCloseTo(2 / 3, 12);
    const scene = { size: 40, image: new Float32Array(40 * 40), mask: new Uint8Array(40 * 40), objects: [] };
    expect(scoreMasks([scene.mask], [scene]).meanIou).toBe(1);
    expect((await segment(segInitialFlat(1), [scene]))[0].length).toBe(40 * 40);
    const count = 8;
    const digits: MnistArrays = { count, rows: 28, cols: 28, images: new Uint8Array(count * 784).map((_, i) => (i * 29) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i % 10) };
    // Its training steps run in model.test.ts on wasm: here it is built, read and run.
    const net = createSegmenter(digits, { seed: 1, skips: true, batchSize: 2, lr: 0.001, trainScenes: 2, total: 10, foregroundWeight: 4 });
    expect(await net.read()).toEqual(segInitialFlat(1));
    expect((await net.segment([scene])).length).toBe(1);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('nasbench and evolution', () => {
  it('the space, the builder, the searches and the race work alone', async () => {
    expect(encode(decode(77))).toBe(77);
    expect(canonicalCells().length).toBe(343);
    expect(mutations(0).length).toBe(12);
    const before = tf.memory().numTensors;
    const model = buildCell(5, 1);
    expect(model.countParams()).toBe(cellCost(5).params);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => validateManifest({})).toThrow(BenchFormatError);
    const val = Float32Array.from({ length: 512 }, (_, i) => (i % 97) / 100);
    const table = { val, test: val };
    const run = new EvolutionRun(table, { population: 4, sample: 2, aging: true }, 1);
    for (let t = 0; t < 10; t++) run.next();
    expect(run.population).toEqual(livingOf(table, run.trials, 4, true));
    const rl = new SoftmaxRun(table, 1);
    rl.next();
    expect(rl.trials.length).toBe(1);
    const controller = new ControllerBatch(table, [1, 2]);
    expect(controller.step().length).toBe(2 * controller.config.children);
    expect((await controller.mostLikely())[0].probabilities.length).toBe(6);
    controller.dispose();
    expect(compareSearches(table, { runs: 2, budget: 5, population: 4, sample: 2, seed: 1 }).length).toBe(4);
    const race = createEvolutionRace(table, { population: 4, sample: 2, budget: 8, runs: 2, seed: 1 });
    expect((await race.step(8)).trial).toBe(8);
    expect(importRuns(JSON.stringify(exportRuns('evolution', 'x', {}, race.runs)), 'evolution', 'x').runs.length).toBe(6);
    const nas = createNasRace(table, { budget: 5, runs: 2, seed: 1, learningRate: 0.02, baselineDecay: 0.9 });
    expect((await nas.step(5)).probabilities!.length).toBe(6);
    nas.dispose();
  });
});

describe('xnor', () => {
  it('binaryLogits, binaryAccuracy, fineTuneBinary, the packed kernel, cnnCost, createXnorTiming and createXnorDemo work alone', async () => {
    const before = tf.memory().numTensors;
    const model = buildCnn(10, 1);
    const w = cnnWeights(model);
    const count = 4;
    const digits: MnistArrays = { count, rows: 28, cols: 28, images: new Uint8Array(count * 784).map((_, i) => (i * 37) % 256), labels: Uint8Array.from({ length: count }, (_, i) => i) };
    expect((await binaryAccuracy(w, 'xnor', digits)).count).toBe(4);
    expect(tf.tidy(() => binaryLogits(w, tf.zeros([1, 28, 28, 1]) as tf.Tensor4D, 'bwn').shape)).toEqual([1, 10]);
    expect(tf.tidy(() => sign(tf.tensor1d([0, -2])).dataSync())).toEqual(Float32Array.of(1, -1));
    const losses = await fineTuneBinary(w, digits, { mode: 'bwn', steps: 1, batchSize: 4, learningRate: 1e-3, seed: 1 });
    expect(losses).toHaveLength(1);
    const s = { h: 3, w: 3, c: 33, k: 3, f: 2 };
    const input = Float32Array.from({ length: 9 * 33 }, (_, i) => Math.sin(i));
    const kernel = Float32Array.from({ length: 9 * 33 * 2 }, (_, i) => Math.cos(i));
    expect(Array.from(xnorConv(packInput(input, 9, 33), packKernel(kernel, 3, 33, 2), s))).toEqual(Array.from(await tfSignConv(input, kernel, s)));
    expect(cnnTotals(cnnCost()).binaryOps).toBe(884736);
    expect(paperSpeedup(256, 9)).toBeCloseTo(62.27, 2);
    const c = filterSlice(await conv2Arrays(w), 0, 0);
    expect(c.binary[0]).toBe(Math.fround((c.latent[0] >= 0 ? 1 : -1) * c.alpha));
    const timer = createXnorTiming([{ h: 4, w: 4, c: 32, k: 3, f: 2 }], 1);
    expect((await timer.step(sweepSteps(1, 1, TIMED_PATHS.length, TIMED_PATHS.reduce((n, p) => n + XNOR_WARMUPS[p], 0)))).done).toBe(true); // the warm-up runs and a sample, one per step
    timer.dispose();
    const demo = createXnorDemo({ full: w, bwn: w, xnor: w }, digits, { batch: 4, repeats: 1, shapes: [{ h: 4, w: 4, c: 8, k: 3, f: 2 }] });
    expect((await demo.step(3)).scores.xnor.count).toBe(4);
    demo.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('xception', () => {
  it('towerCounts, moduleCost, towerKernel, towerModule, the two separable orders, digitMaps and createTowerWalk work alone', async () => {
    const before = tf.memory().numTensors;
    expect(towerCounts(4)).toEqual([1, 2, 4]);
    expect(towerModuleCost(4, 4).params).toBe(16 + 36);
    const out = tf.tidy(() => {
      const x = heKernel([1, 3, 3, 4], 1);
      const p = heKernel([1, 1, 4, 4], 2);
      const spatial = towerKernel(heKernel([3, 3, 4, 4], 3), 4);
      const a = towerModule(x, p, spatial, 4);
      const b = pointwiseThenDepthwise(x, p, spatial.reshape([3, 3, 4, 1]) as tf.Tensor4D);
      const c = depthwiseThenPointwise(x, spatial.reshape([3, 3, 4, 1]) as tf.Tensor4D, p);
      return [tf.max(tf.abs(tf.sub(a, b))).dataSync()[0], c.shape];
    });
    expect(out[0]).toBeLessThan(1e-5);
    expect(out[1]).toEqual([1, 3, 3, 4]);
    const conv1 = heKernel([5, 5, 1, 4], 4);
    const bias = tf.zeros([4]) as tf.Tensor1D;
    const maps = digitMaps(new Float32Array(784).fill(0.5), conv1, bias);
    const walk = createTowerWalk(maps, 1);
    expect((await walk.step(5)).rows).toHaveLength(3);
    walk.dispose();
    tf.dispose([conv1, bias, maps]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
