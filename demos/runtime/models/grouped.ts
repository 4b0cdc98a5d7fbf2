/**
 * Grouped convolutions and the channel shuffle, as real tfjs ops, with their costs and their connectivity (which
 * input channels feed which output channels). tfjs has no `groups` argument on conv2d, so a grouped convolution is
 * built two ways that give the same numbers: split the channels, convolve each group, concatenate; or one conv2d
 * with a block-diagonal kernel (zeros outside the groups: the same output for g times the arithmetic). Shared by the
 * ResNeXt and ShuffleNet demos. Pure: no React, no DOM.
 */
import { tf } from '../tf';

/** One convolution: a k×k kernel, `cin` channels in, `cout` out, `groups` groups, over an h×w output map. */
export interface GroupedShape {
  k: number;
  cin: number;
  cout: number;
  groups: number;
  h?: number;
  w?: number;
}

/** Throws a RangeError unless g ≥ 1 divides both channel counts. */
export function checkGroups(cin: number, cout: number, groups: number): void {
  for (const [name, v] of [['input channels', cin], ['output channels', cout], ['groups', groups]] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`${name} must be a whole number ≥ 1, got ${v}`);
  }
  if (cin % groups || cout % groups) throw new RangeError(`${groups} groups must divide both ${cin} input and ${cout} output channels`);
}

/** Weights of a grouped convolution without bias: each of the g groups maps cin/g channels to cout/g, so k²·cin·cout/g. */
export function groupedParams({ k, cin, cout, groups }: GroupedShape): number {
  checkGroups(cin, cout, groups);
  return (k * k * cin * cout) / groups;
}

/** Multiply-adds of a grouped convolution over an h×w output map: its weights times h·w (stride folded into h, w). */
export function groupedMacs(s: GroupedShape): number {
  return groupedParams(s) * (s.h ?? 1) * (s.w ?? 1);
}

/** The group of channel c among `channels` split into `groups` contiguous groups. */
export const groupOf = (c: number, channels: number, groups: number) => Math.floor(c / (channels / groups));

/**
 * A grouped convolution from real tfjs ops: x [b, h, w, cin] split into g groups of channels, each convolved with its
 * slice of w [k, k, cin/g, cout] (output channels j·cout/g … (j+1)·cout/g − 1 belong to group j), then concatenated.
 * g = 1 is a plain conv2d. The caller disposes the result.
 */
export function groupedConv2d(x: tf.Tensor4D, w: tf.Tensor4D, groups: number, pad: 'same' | 'valid' = 'same'): tf.Tensor4D {
  const cin = x.shape[3];
  const cout = w.shape[3];
  checkGroups(cin, cout, groups);
  if (w.shape[2] !== cin / groups) throw new RangeError(`a kernel for ${groups} groups of ${cin} channels has ${cin / groups} input channels, not ${w.shape[2]}`);
  if (groups === 1) return tf.conv2d(x, w, 1, pad) as tf.Tensor4D;
  return tf.tidy(() => {
    const xs = tf.split(x, groups, 3) as tf.Tensor4D[];
    const ws = tf.split(w, groups, 3) as tf.Tensor4D[];
    return tf.concat(xs.map((xi, i) => tf.conv2d(xi, ws[i], 1, pad)), 3) as tf.Tensor4D;
  });
}

/**
 * The same grouped kernel as one dense kernel [k, k, cin, cout]: group j's block on the diagonal, zeros elsewhere.
 * A plain conv2d with it computes the grouped convolution, doing the zeros' multiplications too. The caller disposes it.
 */
export function blockDiagonalKernel(w: tf.Tensor4D, groups: number): tf.Tensor4D {
  const [k1, k2, cinG, cout] = w.shape;
  const cin = cinG * groups;
  checkGroups(cin, cout, groups);
  const coutG = cout / groups;
  return tf.tidy(() => {
    // mask[i, o] = 1 when input channel i and output channel o are in the same group.
    const mask = tf.tensor2d(
      Float32Array.from({ length: cin * cout }, (_, n) => (Math.floor(Math.floor(n / cout) / cinG) === Math.floor((n % cout) / coutG) ? 1 : 0)),
      [cin, cout],
    );
    // Tile the kernel g times along its input axis: input channel i takes row i mod cin/g, the row group j's block has.
    const tiled = tf.tile(w, [1, 1, groups, 1]);
    return tf.mul(tiled, mask.reshape([1, 1, cin, cout])) as tf.Tensor4D;
  });
}

/**
 * The channel shuffle as a permutation: perm[j] is the input channel that lands at output position j when `channels`
 * channels in g groups of n = channels/g are reshaped to (g, n), transposed to (n, g) and flattened:
 * perm[j] = (j mod g)·n + ⌊j / g⌋.
 */
export function shufflePermutation(channels: number, groups: number): number[] {
  checkGroups(channels, channels, groups);
  const n = channels / groups;
  return Array.from({ length: channels }, (_, j) => (j % groups) * n + Math.floor(j / groups));
}

/** The channel shuffle on a real feature map [b, h, w, c]: reshape to (g, n), transpose to (n, g), reshape back. */
export function channelShuffle(x: tf.Tensor4D, groups: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  checkGroups(c, c, groups);
  return tf.tidy(() => x.reshape([b, h, w, groups, c / groups]).transpose([0, 1, 2, 4, 3]).reshape([b, h, w, c]) as tf.Tensor4D);
}

/** One edge of a connectivity drawing: channel `from` of one stage feeds channel `to` of the next, within `group`. */
export interface ChannelLink {
  from: number;
  to: number;
  group: number;
}

/** Every input→output channel pair a grouped 1×1 or k×k convolution connects (cin·cout/g links). */
export function groupLinks(cin: number, cout: number, groups: number): ChannelLink[] {
  checkGroups(cin, cout, groups);
  const links: ChannelLink[] = [];
  for (let o = 0; o < cout; o++) {
    const g = groupOf(o, cout, groups);
    const lo = g * (cin / groups);
    for (let i = lo; i < lo + cin / groups; i++) links.push({ from: i, to: o, group: g });
  }
  return links;
}

/** The shuffle's links: output position j is fed by input channel perm[j], coloured by that channel's group. */
export function shuffleLinks(channels: number, groups: number): ChannelLink[] {
  return shufflePermutation(channels, groups).map((from, to) => ({ from, to, group: groupOf(from, channels, groups) }));
}

/**
 * Which channels of each stage feed channel `target` of the last stage, tracing links backwards: lit[s][c] is true
 * when channel c of stage s reaches the target. `sizes` has one entry per stage, `links` one list per gap.
 */
export function traceBack(sizes: readonly number[], links: readonly (readonly ChannelLink[])[], target: number): boolean[][] {
  if (links.length !== sizes.length - 1) throw new RangeError(`${sizes.length} stages need ${sizes.length - 1} lists of links, got ${links.length}`);
  const lit = sizes.map((n) => new Array<boolean>(n).fill(false));
  const last = sizes.length - 1;
  if (!(Number.isInteger(target) && target >= 0 && target < sizes[last])) throw new RangeError(`no channel ${target} in the last stage of ${sizes[last]}`);
  lit[last][target] = true;
  for (let s = last - 1; s >= 0; s--) for (const l of links[s]) if (lit[s + 1][l.to]) lit[s][l.from] = true;
  return lit;
}

/**
 * How many of the first stage's channels each output of a stack of grouped 1×1 convolutions sees: `layers` grouped
 * convolutions of `channels` channels in g groups, with or without a channel shuffle between them. Without it, every
 * output sees only its own group's channels/g inputs; with it, each shuffle lets a group gather min(g, n) groups
 * (n = channels/g), so two layers see every input when n ≥ g.
 */
export function receptiveChannels(channels: number, groups: number, layers: number, shuffle: boolean): number[] {
  const { sizes, links } = stackLinks(channels, groups, layers, shuffle);
  return Array.from({ length: channels }, (_, t) => traceBack(sizes, links, t)[0].filter(Boolean).length);
}

/** The stages and links of a stack of grouped convolutions, with a shuffle stage after each but the last if asked. */
export function stackLinks(channels: number, groups: number, layers: number, shuffle: boolean): { sizes: number[]; links: ChannelLink[][]; labels: string[] } {
  if (!(Number.isInteger(layers) && layers >= 1)) throw new RangeError(`layers must be a whole number ≥ 1, got ${layers}`);
  const sizes = [channels];
  const links: ChannelLink[][] = [];
  const labels = ['input'];
  for (let l = 0; l < layers; l++) {
    links.push(groupLinks(channels, channels, groups));
    sizes.push(channels);
    labels.push(`GConv ${l + 1}`);
    if (shuffle && l < layers - 1) {
      links.push(shuffleLinks(channels, groups));
      sizes.push(channels);
      labels.push('shuffle');
    }
  }
  return { sizes, links, labels };
}
