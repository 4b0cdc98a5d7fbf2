/**
 * Test surfaces for the optimizer race: each is written ONCE, generically over an `Arith<T>`, so the
 * plain-number version (contour plot, tests) and the batched tfjs version (the race) cannot disagree.
 * Gradients are analytic (no autograd): the race differentiates all rows with a handful of ops.
 */
import { tf } from '../runtime/tf';
import type { OptimizerName } from './optimizers';

/** A point [x, y]. */
export type Vec2 = readonly [number, number];

/** A rectangle [xmin, xmax, ymin, ymax]. */
export type Box = readonly [number, number, number, number];

/** The four operations a surface formula may use; `c` lifts a constant. */
export interface Arith<T> {
  c(v: number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
}

/** Plain JavaScript numbers (double precision): for contour plots and hand checks. */
export const numberArith: Arith<number> = {
  c: (v) => v,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
};

/**
 * tfjs tensors, element-wise over any shape (float32). With `cacheConstants`, each constant becomes one
 * kept scalar tensor reused across steps (no per-step upload); call `dispose()` to free them. Without it,
 * constants are fresh scalars that the caller's `tf.tidy` disposes.
 */
export class TensorArith implements Arith<tf.Tensor> {
  private readonly consts = new Map<number, tf.Tensor>();
  constructor(private readonly cacheConstants = false) {}
  c(v: number): tf.Tensor {
    if (!this.cacheConstants) return tf.scalar(v);
    let t = this.consts.get(v);
    if (!t || t.isDisposed) {
      t = tf.keep(tf.scalar(v));
      this.consts.set(v, t);
    }
    return t;
  }
  add(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.add(a, b);
  }
  sub(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.sub(a, b);
  }
  mul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.mul(a, b);
  }
  /** Frees cached constants (idempotent). */
  dispose(): void {
    for (const t of this.consts.values()) t.dispose();
    this.consts.clear();
  }
}

/** Names of the built-in surfaces. */
export type SurfaceName = 'rosenbrock' | 'beale' | 'saddle' | 'ellipse' | 'tilted' | 'himmelblau';

/** The generic definition of a surface: formula and gradient over any `Arith`. */
interface SurfaceDef {
  id: SurfaceName;
  name: string;
  /** KaTeX source of f(x, y). */
  tex: string;
  /** One line on what the surface shows about optimizers. */
  description: string;
  view: Box;
  start: Vec2;
  minima: readonly Vec2[];
  saddles?: readonly Vec2[];
  /** Contours of surfaces spanning many orders of magnitude read better on a log scale. */
  logContours: boolean;
  suggestedLr: Readonly<Record<OptimizerName, number>>;
  value<T>(A: Arith<T>, x: T, y: T): T;
  grad<T>(A: Arith<T>, x: T, y: T): [T, T];
}

/** A test surface: metadata for the view plus scalar and batched tensor evaluation. */
export interface Surface {
  readonly id: SurfaceName;
  /** Display name. */
  readonly name: string;
  /** KaTeX source of the formula. */
  readonly tex: string;
  /** One line for the UI. */
  readonly description: string;
  /** Plot window [xmin, xmax, ymin, ymax]. */
  readonly view: Box;
  /** Default start point of every run. */
  readonly start: Vec2;
  /** Global (and, for Himmelblau, all) minima, for drawing; empty when unbounded below. */
  readonly minima: readonly Vec2[];
  /** Saddle points worth marking (only where they are the point of the surface). */
  readonly saddles: readonly Vec2[];
  /** Whether the contour plot should space its levels logarithmically. */
  readonly logContours: boolean;
  /**
   * A learning rate per optimizer that makes a lively race here (converging in a few hundred steps
   * without diverging), picked from a sweep over half-decades; torch's defaults suit deep nets instead.
   */
  readonly suggestedLr: Readonly<Record<OptimizerName, number>>;
  /** f(x, y) in double precision. */
  f(x: number, y: number): number;
  /** ∇f(x, y) in double precision. */
  grad(x: number, y: number): [number, number];
  /** f for every row of `p` [N, 2] → [N]; call inside tf.tidy. */
  value(p: tf.Tensor2D, arith?: TensorArith): tf.Tensor1D;
  /** ∇f for every row of `p` [N, 2] → [N, 2]; call inside tf.tidy. */
  gradient(p: tf.Tensor2D, arith?: TensorArith): tf.Tensor2D;
}

const sq = <T>(A: Arith<T>, a: T): T => A.mul(a, a);

const DEFS: readonly SurfaceDef[] = [
  {
    id: 'rosenbrock',
    name: 'Rosenbrock',
    tex: 'f(x,y) = (1-x)^2 + 100\\,(y-x^2)^2',
    description: 'A curved, narrow valley: easy to find, slow to follow to the minimum at (1, 1).',
    view: [-2, 2, -1, 3],
    start: [-1.5, 2],
    minima: [[1, 1]],
    logContours: true,
    suggestedLr: {
      sgd: 2e-3, momentum: 1e-3, nesterov: 1e-3, adagrad: 2, adadelta: 10,
      rmsprop: 0.03, rprop: 0.01, adam: 0.1, adamax: 0.3, nadam: 0.1,
    },
    value(A, x, y) {
      return A.add(sq(A, A.sub(A.c(1), x)), A.mul(A.c(100), sq(A, A.sub(y, sq(A, x)))));
    },
    grad(A, x, y) {
      // ∂x = −2(1−x) − 400·x·(y−x²),  ∂y = 200·(y−x²)
      const r = A.sub(y, sq(A, x));
      return [
        A.sub(A.mul(A.c(-2), A.sub(A.c(1), x)), A.mul(A.mul(A.c(400), x), r)),
        A.mul(A.c(200), r),
      ];
    },
  },
  {
    id: 'beale',
    name: 'Beale',
    tex: 'f(x,y) = (1.5-x+xy)^2 + (2.25-x+xy^2)^2 + (2.625-x+xy^3)^2',
    description: 'Flat plateaus and steep walls: gradient sizes vary by orders of magnitude. Minimum at (3, 0.5).',
    view: [-4.5, 4.5, -4.5, 4.5],
    start: [1, 1.5],
    minima: [[3, 0.5]],
    logContours: true,
    suggestedLr: {
      sgd: 3e-3, momentum: 1e-3, nesterov: 1e-3, adagrad: 0.3, adadelta: 3,
      rmsprop: 0.01, rprop: 0.01, adam: 0.03, adamax: 0.1, nadam: 0.03,
    },
    value(A, x, y) {
      const [a, b, c] = bealeTerms(A, x, y);
      return A.add(A.add(sq(A, a), sq(A, b)), sq(A, c));
    },
    grad(A, x, y) {
      // with a, b, c the three residuals: ∂x = 2a(y−1) + 2b(y²−1) + 2c(y³−1),
      // ∂y = 2a·x + 4b·xy + 6c·xy²
      const [a, b, c] = bealeTerms(A, x, y);
      const y2 = sq(A, y);
      const y3 = A.mul(y2, y);
      const one = A.c(1);
      const two = A.c(2);
      const gx = A.mul(
        two,
        A.add(A.add(A.mul(a, A.sub(y, one)), A.mul(b, A.sub(y2, one))), A.mul(c, A.sub(y3, one))),
      );
      const gy = A.mul(
        A.mul(two, x),
        A.add(A.add(a, A.mul(A.mul(two, b), y)), A.mul(A.mul(A.c(3), c), y2)),
      );
      return [gx, gy];
    },
  },
  {
    id: 'saddle',
    name: 'Saddle',
    tex: 'f(x,y) = x^2 - y^2',
    description: 'A saddle point at the origin and no minimum: who escapes along y, and how fast?',
    view: [-2, 2, -2, 2],
    start: [1.5, 1e-3],
    minima: [],
    saddles: [[0, 0]],
    logContours: false,
    suggestedLr: {
      sgd: 0.01, momentum: 1e-3, nesterov: 1e-3, adagrad: 0.03, adadelta: 0.03,
      rmsprop: 3e-3, rprop: 1e-4, adam: 3e-3, adamax: 3e-3, nadam: 3e-3,
    },
    value(A, x, y) {
      return A.sub(sq(A, x), sq(A, y));
    },
    grad(A, x, y) {
      return [A.mul(A.c(2), x), A.mul(A.c(-2), y)];
    },
  },
  {
    id: 'ellipse',
    name: 'Elongated bowl',
    tex: 'f(x,y) = \\tfrac12\\,(x^2 + 25\\,y^2)',
    description:
      'An axis-aligned quadratic with condition number 25: plain SGD zig-zags, per-coordinate methods do not.',
    view: [-3, 3, -2, 2],
    start: [-2.5, 1],
    minima: [[0, 0]],
    logContours: false,
    suggestedLr: {
      sgd: 0.03, momentum: 3e-3, nesterov: 3e-3, adagrad: 0.3, adadelta: 3,
      rmsprop: 0.01, rprop: 0.01, adam: 0.03, adamax: 0.03, nadam: 0.03,
    },
    value(A, x, y) {
      return A.mul(A.c(0.5), A.add(sq(A, x), A.mul(A.c(25), sq(A, y))));
    },
    grad(A, x, y) {
      return [x, A.mul(A.c(25), y)];
    },
  },
  {
    id: 'tilted',
    name: 'Tilted bowl',
    tex: 'f(x,y) = 6.5\\,x^2 - 12\\,xy + 6.5\\,y^2',
    description:
      'The same bowl turned 45°: the narrow axis is no longer a coordinate, so per-coordinate scaling helps less.',
    view: [-3, 3, -3, 3],
    start: [-2.5, -1],
    minima: [[0, 0]],
    logContours: false,
    suggestedLr: {
      sgd: 0.03, momentum: 3e-3, nesterov: 3e-3, adagrad: 0.3, adadelta: 3,
      rmsprop: 0.01, rprop: 0.01, adam: 0.03, adamax: 0.1, nadam: 0.03,
    },
    value(A, x, y) {
      // ½(u² + 25 v²) with u = (x+y)/√2, v = (x−y)/√2, expanded so no √2 rounding enters.
      return A.add(A.sub(A.mul(A.c(6.5), sq(A, x)), A.mul(A.mul(A.c(12), x), y)), A.mul(A.c(6.5), sq(A, y)));
    },
    grad(A, x, y) {
      return [A.sub(A.mul(A.c(13), x), A.mul(A.c(12), y)), A.sub(A.mul(A.c(13), y), A.mul(A.c(12), x))];
    },
  },
  {
    id: 'himmelblau',
    name: 'Himmelblau',
    tex: 'f(x,y) = (x^2+y-11)^2 + (x+y^2-7)^2',
    description:
      'Four equal minima; from next to the hilltop at (−0.27, −0.92), gradient-following and sign-following methods part ways.',
    view: [-5, 5, -5, 5],
    start: [-0.27, -0.92],
    minima: [
      [3, 2],
      [-2.805118, 3.131312],
      [-3.77931, -3.283186],
      [3.584428, -1.848126],
    ],
    logContours: true,
    suggestedLr: {
      sgd: 3e-3, momentum: 1e-3, nesterov: 1e-3, adagrad: 0.3, adadelta: 0.1,
      rmsprop: 0.01, rprop: 0.01, adam: 0.03, adamax: 0.03, nadam: 0.03,
    },
    value(A, x, y) {
      return A.add(sq(A, himA(A, x, y)), sq(A, himB(A, x, y)));
    },
    grad(A, x, y) {
      // ∂x = 4x·a + 2b,  ∂y = 2a + 4y·b  with a = x²+y−11, b = x+y²−7
      const a = himA(A, x, y);
      const b = himB(A, x, y);
      const two = A.c(2);
      const four = A.c(4);
      return [A.add(A.mul(A.mul(four, x), a), A.mul(two, b)), A.add(A.mul(two, a), A.mul(A.mul(four, y), b))];
    },
  },
];

function bealeTerms<T>(A: Arith<T>, x: T, y: T): [T, T, T] {
  const xy = A.mul(x, y);
  const xy2 = A.mul(xy, y);
  const xy3 = A.mul(xy2, y);
  return [
    A.add(A.sub(A.c(1.5), x), xy),
    A.add(A.sub(A.c(2.25), x), xy2),
    A.add(A.sub(A.c(2.625), x), xy3),
  ];
}
function himA<T>(A: Arith<T>, x: T, y: T): T {
  return A.sub(A.add(sq(A, x), y), A.c(11));
}
function himB<T>(A: Arith<T>, x: T, y: T): T {
  return A.sub(A.add(x, sq(A, y)), A.c(7));
}

function columns(p: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const [x, y] = tf.split(p, 2, 1) as tf.Tensor2D[];
  return [x, y];
}

function build(def: SurfaceDef): Surface {
  return {
    id: def.id,
    name: def.name,
    tex: def.tex,
    description: def.description,
    view: def.view,
    start: def.start,
    minima: def.minima,
    saddles: def.saddles ?? [],
    logContours: def.logContours,
    suggestedLr: def.suggestedLr,
    f: (x, y) => def.value(numberArith, x, y),
    grad: (x, y) => def.grad(numberArith, x, y),
    value(p, arith = new TensorArith()) {
      const [x, y] = columns(p);
      return tf.reshape(def.value(arith, x, y), [-1]) as tf.Tensor1D;
    },
    gradient(p, arith = new TensorArith()) {
      const [x, y] = columns(p);
      const [gx, gy] = def.grad(arith, x, y);
      // Every partial here involves x or y, so both are already [N, 1].
      return tf.concat([gx, gy], 1) as tf.Tensor2D;
    },
  };
}

/** All built-in surfaces by name. */
export const SURFACES: Readonly<Record<SurfaceName, Surface>> = Object.fromEntries(
  DEFS.map((d) => [d.id, build(d)]),
) as Record<SurfaceName, Surface>;

/** Surface names in display order. */
export const SURFACE_NAMES: readonly SurfaceName[] = DEFS.map((d) => d.id);

/** Look a surface up by name, or pass a Surface through. */
export function getSurface(s: Surface | SurfaceName): Surface {
  if (typeof s !== 'string') return s;
  const found = SURFACES[s];
  if (!found) throw new RangeError(`unknown surface '${s}'`);
  return found;
}
