/**
 * The NiN demo's worker: the GAP and FC heads train here. Extracting the frozen pool2 maps runs the shipped CNN's
 * body over 2,500 digits, 25 per step, and a step then held the page's main thread for 50–70 ms now and then
 * (`npm run bench`'s long tasks); here the page only draws. The worker loads its own copy of the CNN and the digits.
 */
import { serveSimulation } from '../runtime/jobs/simulation-worker';
import { loadMnist, MNIST_BASE_URL } from '../runtime/data/loader';
import { loadModel, MODELS_BASE_URL } from '../runtime/data/models';
import { BODY, createHeadRace, digitSet, trunk, type RaceParams } from './model';
import { TEST_DIGITS, TRAIN_DIGITS } from './params';

serveSimulation(async ({ signal }) => {
  const [cnn, train, test] = await Promise.all([
    loadModel('cnn', { baseUrl: MODELS_BASE_URL, signal }),
    loadMnist({ split: 'train', count: TRAIN_DIGITS, baseUrl: MNIST_BASE_URL, signal }),
    loadMnist({ split: 'test', count: TEST_DIGITS, baseUrl: MNIST_BASE_URL, signal }),
  ]);
  const body = trunk(cnn.model, BODY);
  const sets = { train: digitSet(train, TRAIN_DIGITS), test: digitSet(test, TEST_DIGITS) };
  return (q: RaceParams) => createHeadRace(body, sets.train, sets.test, { micro: Number(q.micro), lr: q.lr, seed: q.seed });
});
