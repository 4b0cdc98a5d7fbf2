/**
 * The scenes and raw sliding-window detections that `npm run reproduce -- detection-metrics --write` ships under
 * public/models/cnn-sliding-window/: 24 scenes of MNIST test digits (pixels and true boxes) and every window of the
 * shipped cnn scoring at least 0.8. Read by the detection pages (metrics, two-stage) alike.
 */
import type { Box, Detection, GroundTruth } from '../detection';

/** A detector's window: a scored, classed box in one image. */
export interface ClassedDetection extends Detection {
  cls: number;
}


/** Directory under the models URL of the shipped sliding-window output. */
export const SHIPPED_NAME = 'cnn-sliding-window';

/** detections.json as written by the reproduce script. */
export interface ShippedDetections {
  format: 'adl-detections';
  config: { model: string; scenes: number; size: number; seed: number; sizes: number[]; stride: number; minScore: number; inkThreshold: number; minDigits: number; maxDigits: number; minScale: number; maxScale: number };
  /** Each scene: its pixels (size² bytes, base64) and its digits. */
  scenes: { image: string; objects: { cls: number; box: [number, number, number, number] }[] }[];
  /** Every window kept: [image, cls, score, x1, y1, x2, y2]. */
  windows: [number, number, number, number, number, number, number][];
}

/** A scene ready to draw: its pixels as bytes and its ground truths. */
export interface ShownScene {
  size: number;
  pixels: Uint8Array;
  objects: { cls: number; box: Box }[];
}

/** The shipped output, decoded. */
export interface Shipped {
  config: ShippedDetections['config'];
  scenes: ShownScene[];
  raw: ClassedDetection[];
  groundTruths: (GroundTruth & { cls: number })[];
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Bytes as base64 (the inverse of what {@link decodeShipped} reads). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}

/** Decodes detections.json, checking its shape. */
export function decodeShipped(j: ShippedDetections): Shipped {
  if (j?.format !== 'adl-detections' || !Array.isArray(j.scenes) || !Array.isArray(j.windows)) throw new Error('detections.json: not the shipped sliding-window output');
  const size = j.config.size;
  const scenes = j.scenes.map((s) => ({ size, pixels: fromBase64(s.image), objects: s.objects.map((o) => ({ cls: o.cls, box: o.box as Box })) }));
  const raw = j.windows.map(([image, cls, score, x1, y1, x2, y2]) => ({ image, cls, score, box: [x1, y1, x2, y2] as Box }));
  const groundTruths = scenes.flatMap((s, image) => s.objects.map((o) => ({ image, cls: o.cls, box: o.box })));
  return { config: j.config, scenes, raw, groundTruths };
}

/**
 * Fetches `<baseUrl>/cnn-sliding-window/detections.json`. In Node pass `fetch: fileFetch(publicDir)`
 * (scripts/mnist-node.ts).
 */
export async function loadShipped(baseUrl: string, opts: { fetch?: typeof fetch; signal?: AbortSignal } = {}): Promise<Shipped> {
  const url = `${baseUrl.endsWith('/') ? baseUrl : baseUrl + '/'}${SHIPPED_NAME}/detections.json`;
  const res = await (opts.fetch ?? fetch)(url, { signal: opts.signal });
  if (!res.ok) throw new Error(`Sliding-window detections: ${url}: HTTP ${res.status}`);
  return decodeShipped((await res.json()) as ShippedDetections);
}

