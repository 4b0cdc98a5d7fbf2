'use client';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import { toMnistInput, MNIST_SIDE } from '@/demos/runtime/data/preprocess';
import { floatImages } from '@/demos/runtime/data/loader';
import type { TestDigits } from './useTestDigits';
import { decodeUpload } from './decode';
import { inputToRgba, parseIndex, rgbaToGray } from './image';

/** The three ways to give a digit. */
export type DigitMode = 'draw' | 'test' | 'upload';

/** Where an input came from. */
export interface DigitMeta {
  source: DigitMode;
  /** Test mode: the digit's index in the MNIST test set, its true label and the digits available. */
  index?: number;
  label?: number;
  testCount?: number;
  /** Upload mode: the file's name; whether dark ink on a light ground was inverted. */
  fileName?: string;
  inverted?: boolean;
}

/** Props of {@link DigitInput}: controlled mode and test index; inputs come out through `onInput`. */
export interface DigitInputProps {
  mode: DigitMode;
  onModeChange: (mode: DigitMode) => void;
  /** Index of the test digit shown in 'test' mode. */
  testIndex: number;
  onTestIndexChange: (index: number) => void;
  /**
   * The 784 pixels (28×28, row-major, [0, 1], white on black) the network should see, or null when
   * there is none (empty pad, no upload yet, data still loading). Called when the active input changes.
   */
  onInput: (input: Float32Array | null, meta: DigitMeta) => void;
  /** The MNIST test digits for 'test' mode, loaded by the caller (useTestDigits): this widget loads nothing. */
  test: TestDigits;
  /** Form name of the test-digit field (the demo's URL parameter), so it is found like other controls. */
  indexName?: string;
  /** Shown beside the preview: e.g. the network's answer, so it stays in view next to the pad on phones. */
  children?: ReactNode;
}

interface Entry {
  input: Float32Array | null;
  meta: DigitMeta;
}


const PAD = 280; // backing pixels of the drawing pad (its CSS size shrinks on narrow screens)
const PEN = 20; // stroke width in pad pixels: ~2 px after scaling a 200-px digit to MNIST's 20-px box
const DEBOUNCE_MS = 120;
const MODES: { value: DigitMode; label: string }[] = [
  { value: 'draw', label: 'Draw' },
  { value: 'test', label: 'Test digit' },
  { value: 'upload', label: 'Upload' },
];

const CSS = `
.digit-input { display: flex; flex-direction: column; gap: 0.6rem; min-width: 0; }
.digit-modes { display: inline-flex; border: 1px solid var(--line); border-radius: 6px; overflow: hidden; align-self: flex-start; margin: 0; padding: 0; }
.digit-modes legend { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.digit-modes label { padding: 0.25rem 0.8rem; cursor: pointer; font-size: 0.88rem; border-left: 1px solid var(--line); }
.digit-modes label:first-of-type { border-left: 0; }
.digit-modes input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.digit-modes label:has(input:checked) { background: var(--accent); color: var(--bg); }
.digit-modes label:has(input:focus-visible) { outline: 3px solid var(--accent); outline-offset: -3px; }
.digit-pad { display: block; width: 100%; max-width: ${PAD}px; aspect-ratio: 1 / 1; height: auto; touch-action: none; background: #000; border-radius: 6px; cursor: crosshair; border: 1px solid var(--line); }
.digit-row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.digit-seen { display: flex; gap: 0.6rem; align-items: center; font-size: 0.8rem; color: var(--muted); }
.digit-seen canvas { width: 84px; height: 84px; image-rendering: pixelated; background: #000; border-radius: 4px; border: 1px solid var(--line); flex: none; }
.digit-index { width: 5.5rem; font: inherit; padding: 0.2rem 0.3rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
.digit-index[aria-invalid='true'] { border-color: var(--pitfall); }
.digit-msg { margin: 0; font-size: 0.85rem; }
.digit-msg.error { color: var(--pitfall); }
.digit-file { font: inherit; font-size: 0.85rem; max-width: 100%; }
.digit-label { display: block; font-size: 1rem; color: var(--fg); }
.digit-seen > div { display: flex; flex-direction: column; gap: 0.2rem; }
.digit-input progress { width: 100%; max-width: ${PAD}px; }
`;

/** Fills the pad black (MNIST: white ink on black). */
function blank(canvas: HTMLCanvasElement) {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
}

/** Draws a 28×28 input on the preview canvas (or clears it). */
function paintPreview(canvas: HTMLCanvasElement | null, input: Float32Array | null) {
  const ctx = canvas?.getContext('2d');
  if (!ctx) return;
  if (!input) {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, MNIST_SIDE, MNIST_SIDE);
    return;
  }
  ctx.putImageData(new ImageData(inputToRgba(input), MNIST_SIDE, MNIST_SIDE), 0, 0);
}

/**
 * A digit for a network, three ways: draw it on a pad (mouse, pen or touch), pick one of the real
 * MNIST test digits (loaded lazily, first shard only), or upload an image of any size or format.
 * Drawn and uploaded images go through toMnistInput (crop, scale to 20 px, centre by mass) so the
 * network sees what MNIST's digits look like; a preview shows exactly those 28×28 pixels.
 */
export function DigitInput({ mode, onModeChange, testIndex, onTestIndexChange, onInput, test, indexName, children }: DigitInputProps) {
  const uid = useId();
  const pad = useRef<HTMLCanvasElement>(null);
  const preview = useRef<HTMLCanvasElement>(null);
  const [drawn, setDrawn] = useState<Entry>({ input: null, meta: { source: 'draw' } });
  const [uploaded, setUploaded] = useState<Entry>({ input: null, meta: { source: 'upload' } });
  const [uploadMsg, setUploadMsg] = useState<{ text: string; kind: 'busy' | 'ok' | 'error' } | null>(null);
  const [indexText, setIndexText] = useState(String(testIndex));

  const data = test.kind === 'ready' ? test.data : null;
  const testEntry = useMemo<Entry | null>(() => {
    if (!data || testIndex < 0 || testIndex >= data.count) return null;
    return {
      input: floatImages(data, testIndex, testIndex + 1),
      meta: { source: 'test', index: testIndex, label: data.labels[testIndex], testCount: data.count },
    };
  }, [data, testIndex]);

  useEffect(() => setIndexText(String(testIndex)), [testIndex]);

  // ---- emit the active input once per change ----
  const current: Entry | null = mode === 'draw' ? drawn : mode === 'upload' ? uploaded : testEntry;
  const emitted = useRef<Entry | string | null>(null);
  const onInputRef = useRef(onInput);
  onInputRef.current = onInput;
  useEffect(() => {
    const key = current ?? `none:${mode}`;
    if (emitted.current === key) return;
    emitted.current = key;
    if (current) onInputRef.current(current.input, current.meta);
    else onInputRef.current(null, { source: mode });
    paintPreview(preview.current, current?.input ?? null);
  }, [current, mode]);

  // ---- drawing ----
  useEffect(() => {
    if (pad.current) blank(pad.current);
  }, []);
  const stroke = useRef<{ id: number; x: number; y: number } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const readPad = useCallback(() => {
    const c = pad.current;
    if (!c) return;
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    const r = toMnistInput(rgbaToGray(ctx.getImageData(0, 0, c.width, c.height).data, c.width, c.height), { polarity: 'white-on-black' });
    setDrawn({ input: r.ok ? r.image : null, meta: { source: 'draw' } });
  }, []);

  const toPad = (e: ReactPointerEvent<HTMLCanvasElement> | PointerEvent, c: HTMLCanvasElement) => {
    const r = c.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * c.width, y: ((e.clientY - r.top) / r.height) * c.height };
  };
  const line = (c: HTMLCanvasElement, x0: number, y0: number, x1: number, y1: number) => {
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = PEN;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  };
  const onDown = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    const c = e.currentTarget;
    e.preventDefault();
    try {
      c.setPointerCapture(e.pointerId); // keep the stroke when the pointer leaves the pad
    } catch {
      // not a capturable pointer (synthetic events): strokes still work inside the pad
    }
    if (timer.current) clearTimeout(timer.current);
    const p = toPad(e, c);
    stroke.current = { id: e.pointerId, ...p };
    line(c, p.x, p.y, p.x, p.y); // a tap leaves a dot
  };
  const onMove = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const s = stroke.current;
    if (!s || s.id !== e.pointerId) return;
    const c = e.currentTarget;
    // Coalesced events keep fast pen and touch strokes smooth.
    const events = e.nativeEvent.getCoalescedEvents?.() ?? [];
    for (const ev of events.length ? events : [e.nativeEvent]) {
      const p = toPad(ev, c);
      line(c, s.x, s.y, p.x, p.y);
      s.x = p.x;
      s.y = p.y;
    }
  };
  const onUp = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (!stroke.current || stroke.current.id !== e.pointerId) return;
    stroke.current = null;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(readPad, DEBOUNCE_MS);
  };
  const clear = () => {
    if (timer.current) clearTimeout(timer.current);
    if (pad.current) blank(pad.current);
    setDrawn({ input: null, meta: { source: 'draw' } });
  };

  // ---- upload ----
  const uploadSeq = useRef(0);
  const onFile = async (file: File | undefined) => {
    const seq = ++uploadSeq.current;
    if (!file) return;
    setUploadMsg({ text: `Reading ${file.name}…`, kind: 'busy' });
    const fail = (text: string) => {
      if (seq !== uploadSeq.current) return;
      setUploadMsg({ text, kind: 'error' });
      setUploaded({ input: null, meta: { source: 'upload', fileName: file.name } });
    };
    const d = await decodeUpload(file);
    if (!d.ok) return fail(d.message);
    const r = toMnistInput(d.gray, { polarity: 'auto' });
    if (!r.ok) return fail('No digit found in this image: it looks blank (one flat colour).');
    if (seq !== uploadSeq.current) return;
    setUploadMsg({
      text: `${file.name} (${d.width}×${d.height})${r.inverted ? ', dark ink on a light ground: inverted' : ''}.`,
      kind: 'ok',
    });
    setUploaded({ input: r.image, meta: { source: 'upload', fileName: file.name, inverted: r.inverted } });
  };

  // ---- test index ----
  const count = data?.count ?? 0;
  const indexOk = parseIndex(indexText, count || Infinity) !== null;
  const pct = test.kind === 'loading' && test.total > 0 ? Math.round((100 * test.loaded) / test.total) : 0;

  return (
    <div className="digit-input">
      <style href="adl-digit-input" precedence="default">
        {CSS}
      </style>
      <fieldset className="digit-modes">
        <legend>Input</legend>
        {MODES.map((m) => (
          <label key={m.value}>
            <input type="radio" name={`${uid}-mode`} value={m.value} checked={mode === m.value} onChange={() => onModeChange(m.value)} data-mode={m.value} />
            {m.label}
          </label>
        ))}
      </fieldset>

      <div hidden={mode !== 'draw'} className="digit-panel" data-panel="draw">
        <canvas
          ref={pad}
          className="digit-pad"
          width={PAD}
          height={PAD}
          role="img"
          aria-label="Drawing pad: draw one digit with the mouse, a pen or a finger"
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onPointerCancel={onUp}
        />
        <div className="digit-row" style={{ marginTop: '0.4rem' }}>
          <button type="button" onClick={clear} data-action="clear">
            Clear
          </button>
          <span className="status-line">{drawn.input ? 'Add strokes, or Clear to start again.' : 'Draw a digit, large, in the middle.'}</span>
        </div>
      </div>

      <div hidden={mode !== 'test'} className="digit-panel" data-panel="test">
        {test.kind === 'loading' && (
          <div>
            <label htmlFor={`${uid}-progress`} className="digit-msg">
              Loading MNIST test digits… {test.total ? `${Math.round(test.loaded / 1024)} / ${Math.round(test.total / 1024)} KB` : ''}
            </label>
            <progress id={`${uid}-progress`} max={100} value={pct} />
          </div>
        )}
        {test.kind === 'error' && (
          <div role="alert">
            <p className="digit-msg error">Could not load the test digits: {test.message}</p>
            <button type="button" onClick={test.retry}>
              Retry
            </button>
          </div>
        )}
        {test.kind === 'ready' && (
          <div className="digit-row">
            <label htmlFor={`${uid}-index`}>Test digit no.</label>
            <input
              id={`${uid}-index`}
              className="digit-index"
              name={indexName}
              type="number"
              inputMode="numeric"
              min={0}
              max={count - 1}
              step={1}
              value={indexText}
              aria-invalid={!indexOk}
              aria-describedby={`${uid}-index-help`}
              data-field="test-index"
              onChange={(e) => {
                setIndexText(e.target.value);
                const i = parseIndex(e.target.value, count);
                if (i !== null) onTestIndexChange(i);
              }}
            />
            <span id={`${uid}-index-help`} className={`digit-msg${indexOk ? '' : ' error'}`}>
              {indexOk ? `(0–${count - 1})` : `Enter a whole number from 0 to ${count - 1}.`}
            </span>
            <button type="button" data-action="random" onClick={() => onTestIndexChange(Math.floor(Math.random() * count))}>
              Random
            </button>
          </div>
        )}
      </div>

      <div hidden={mode !== 'upload'} className="digit-panel" data-panel="upload">
        <label htmlFor={`${uid}-file`} className="digit-msg">
          An image of one digit (photo, scan or drawing; any size):
        </label>
        <input id={`${uid}-file`} className="digit-file" type="file" accept="image/*" data-field="upload" onChange={(e) => void onFile(e.target.files?.[0])} />
        {uploadMsg && (
          <p className={`digit-msg${uploadMsg.kind === 'error' ? ' error' : ''}`} role={uploadMsg.kind === 'error' ? 'alert' : 'status'} data-upload-message={uploadMsg.kind}>
            {uploadMsg.text}
          </p>
        )}
      </div>

      <div className="digit-seen">
        <canvas ref={preview} width={MNIST_SIDE} height={MNIST_SIDE} role="img" aria-label="The 28×28 pixels the network sees" />
        <div>
          <span>What the network sees: 28×28 pixels, scaled and centred as in MNIST.</span>
          {mode === 'test' && testEntry && (
            <strong className="digit-label" data-true-label={testEntry.meta.label}>
              True label: {testEntry.meta.label}
            </strong>
          )}
          {children}
        </div>
      </div>
    </div>
  );
}
