'use client';
import { Component, startTransition, useCallback, useEffect, useMemo, useRef, useState, type ComponentType, type ReactNode } from 'react';
import { demos, isDemoId, type DemoEntry } from '@/demos/registry';
import { views } from '@/demos/views';
import type { BackendName } from '@/demos/runtime/tf';
import { DemoFrameContext, type DemoFrameInfo } from '@/demos/ui/frame';
import { debugHooks } from '@/demos/ui/debug';

const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;

type Status =
  | { kind: 'waiting' }
  | { kind: 'loading'; what: string }
  // backend null: a tensor-free demo (registry `tensors: false`), which runs without tfjs. worker: its tensors live
  // in a Web Worker (registry `tensors: 'worker'`); backend is the one asked for until the worker says what runs.
  | { kind: 'ready'; backend: BackendName | null; detail: string; View: ComponentType; worker?: { started: boolean } }
  | { kind: 'error'; message: string };

/**
 * An embed's `?controls=`: which controls to show (parameter keys and 'play' for the transport; 'none' for
 * the figure alone). Null: all. Unknown keys are said in the frame once the view has registered its keys.
 */
function controlsFromUrl(): Set<string> | null {
  const raw = new URLSearchParams(window.location.search).get('controls');
  if (raw === null) return null;
  return new Set(raw === 'none' ? [] : raw.split(',').map((s) => s.trim()).filter(Boolean));
}

/**
 * Read ?backend=…; a bad value is reported and ignored rather than breaking the demo. A demo without tensors
 * has no backend to choose: any value is ignored, with a note.
 */
function backendFromUrl(tensors: boolean): { pref: BackendName | null; note?: string } {
  const raw = new URLSearchParams(window.location.search).get('backend');
  if (raw === null || raw === '') return { pref: null };
  if (!tensors) return { pref: null, note: `backend="${raw.slice(0, 20)}" changes nothing here: this demo computes in plain JavaScript, without tensors.` };
  if ((BACKENDS as readonly string[]).includes(raw)) return { pref: raw as BackendName };
  return { pref: null, note: `backend="${raw.slice(0, 20)}" is not one of ${BACKENDS.join(', ')}; choosing automatically.` };
}

class Boundary extends Component<{ onError: (e: unknown) => void; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  componentDidCatch(error: unknown) {
    this.props.onError(error);
  }
  render() {
    return this.state.failed ? null : this.props.children;
  }
}

/** Copies the address of this demo in its current state (the URL query holds its parameters). */
function CopyLink({ anchor }: { anchor: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="link-button"
      data-action="copy-link"
      onClick={() => {
        const url = new URL(window.location.href);
        url.hash = anchor;
        navigator.clipboard?.writeText(url.toString()).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        });
      }}
    >
      {done ? 'Link copied' : 'Copy link to this state'}
    </button>
  );
}

/**
 * The frame around every live demo: loads tfjs and the demo's view only as it nears the viewport,
 * picks the backend (webgl → wasm → cpu, or ?backend=), shows which one runs, pauses the demo off
 * screen and in hidden tabs, and shows any failure inside the frame with a retry. A demo without
 * tensors (registry `tensors: false`) gets its view only: no tfjs, no backend, a badge that says so; one whose
 * tensors live in Web Workers (`tensors: 'worker'`) gets its view only too, and the badge its worker's backend.
 */
export function Demo({ id, prefix = '', embed = false }: { id: string; prefix?: string; embed?: boolean }) {
  const ref = useRef<HTMLElement>(null);
  const [near, setNear] = useState(false);
  const [onScreen, setOnScreen] = useState(false);
  const [pageVisible, setPageVisible] = useState(true);
  const [status, setStatus] = useState<Status>({ kind: 'waiting' });
  const [notes, setNotes] = useState<string[]>([]);
  const [ready, setReady] = useState(false);
  const [mounted, setMounted] = useState(true);
  const [attempt, setAttempt] = useState(0);
  const entry: DemoEntry | undefined = isDemoId(id) ? demos[id] : undefined;
  const rtRef = useRef<typeof import('@/demos/runtime/tf') | null>(null);
  // Set while switching away from a backend that died mid-run (what died), until the next one runs.
  const lostRef = useRef<{ name: BackendName; reason: string } | null>(null);

  const addNote = useCallback((n: string) => setNotes((ns) => (ns.includes(n) ? ns : [...ns, n])), []);
  // The view's first render as a transition: React renders it in slices of a few milliseconds, yielding to the page
  // between them, where an urgent update would render a whole view (all its sections) in one long task.
  const mountView = useCallback((ready: Extract<Status, { kind: 'ready' }>) => startTransition(() => setStatus(ready)), []);

  // Two observers, as Distill's figures do: a wide margin to start loading early, a tight one to run.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const warm = new IntersectionObserver(([e]) => e.isIntersecting && setNear(true), { rootMargin: '600px 0px' });
    const seen = new IntersectionObserver(([e]) => {
      setOnScreen(e.isIntersecting);
      if (e.isIntersecting) debugHooks().visibleAt[id] ??= performance.now();
    });
    warm.observe(el);
    seen.observe(el);
    const vis = () => setPageVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', vis);
    debugHooks().setMounted[id] = (on: boolean) => {
      if (!on) setReady(false);
      setMounted(on);
    };
    return () => {
      warm.disconnect();
      seen.disconnect();
      document.removeEventListener('visibilitychange', vis);
    };
  }, [id]);

  useEffect(() => {
    if (!near || !entry) return;
    let cancelled = false;
    (async () => {
      try {
        const tensors = entry.tensors !== false;
        const { pref, note } = backendFromUrl(tensors);
        if (note) addNote(note);
        if (entry.tensors !== undefined) {
          // No tfjs on the page, no backend to start here: only the view's code (its workers start their own).
          setStatus({ kind: 'loading', what: 'Loading the demo…' });
          const mod = await views[id as keyof typeof views]();
          if (cancelled) return;
          if (!tensors) mountView({ kind: 'ready', backend: null, detail: 'no TensorFlow.js: plain JavaScript, without tensors', View: mod.default });
          else mountView({ kind: 'ready', backend: pref ?? 'webgl', detail: 'starting in a Web Worker', View: mod.default, worker: { started: false } });
          return;
        }
        setStatus({ kind: 'loading', what: 'Loading TensorFlow.js…' });
        // The view's code loads while the backend starts, so that on a cold cache its download overlaps the
        // WASM compile. Views and models touch tfjs only once mounted (no tensors at module level), so
        // evaluating them before the backend is chosen is safe.
        const viewLoad = views[id as keyof typeof views]();
        viewLoad.catch(() => {}); // awaited below: a failure is reported there, not as unhandled here
        const rt = await import('@/demos/runtime/tf');
        rtRef.current = rt;
        const choice = await rt.initBackend(pref);
        const lost = lostRef.current;
        lostRef.current = null;
        if (lost) {
          // One note for the switch; the chooser's own notes about the dead backend would repeat it.
          addNote(`${lost.name} stopped working mid-run (${lost.reason}): the demo restarted on ${choice.backend} with the same parameters.`);
          choice.notes.filter((n) => !n.startsWith(lost.name)).forEach(addNote);
        } else {
          choice.notes.forEach(addNote);
        }
        const hooks = debugHooks();
        hooks.tf = rt.tf;
        hooks.backend = choice.backend;
        setStatus({ kind: 'loading', what: `Loading the demo on ${choice.backend}…` });
        const mod = await viewLoad;
        if (!cancelled) mountView({ kind: 'ready', backend: choice.backend, detail: choice.detail, View: mod.default });
      } catch (e) {
        if (!cancelled) setStatus({ kind: 'error', message: (e as Error).message ?? String(e) });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [near, entry, attempt, addNote, mountView]);

  // A backend that dies under a running demo (a lost WebGL context): mark it, choose the next one and
  // remount the view, which rebuilds its model from its URL-backed parameters.
  const recover = useCallback(
    (name: BackendName, reason: string) => {
      if (lostRef.current) return; // already switching
      lostRef.current = { name, reason };
      rtRef.current?.markBackendLost(name, reason);
      console.warn(`demo ${id}: the ${name} backend stopped working; switching backend`);
      setReady(false);
      setStatus({ kind: 'loading', what: `${name} stopped working; switching backend…` });
      setAttempt((a) => a + 1);
    },
    [id],
  );
  useEffect(() => {
    if (status.kind !== 'ready') return;
    // The view is in the tree from this commit on (the bench's mount → first result).
    debugHooks().mountedAt[id] ??= performance.now();
    if (status.backend === null || !rtRef.current) return; // no tensors, no backend to watch
    return rtRef.current.watchBackend(recover);
  }, [status, recover, id]);

  const onBackend = useCallback<DemoFrameInfo['onBackend']>(
    ({ backend, detail, notes }) => {
      notes.forEach(addNote);
      debugHooks().backend = backend;
      setStatus((s) => (s.kind === 'ready' && s.worker ? { ...s, backend, detail, worker: { started: true } } : s));
    },
    [addNote],
  );
  const onReady = useCallback(() => {
    setReady(true);
    debugHooks().readyAt[id] ??= performance.now();
  }, [id]);
  const onError = useCallback((e: unknown) => {
    // Errors from a dead backend are symptoms: switch backend instead of showing them.
    const dead = rtRef.current?.lostBackend();
    if (dead) return recover(dead.name, dead.reason);
    console.warn(`demo ${id}:`, e);
    setStatus({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
  }, [id, recover]);
  const [shown] = useState(() => (embed && typeof window !== 'undefined' ? controlsFromUrl() : null));
  // Names in ?controls= that are none of this demo's controls: said once its view has registered its keys.
  useEffect(() => {
    if (!ready || shown === null) return;
    const known = Object.keys(debugHooks().params?.[id] ?? {});
    const unknown = [...shown].filter((c) => c !== 'play' && !known.includes(c));
    if (unknown.length) addNote(`controls: ignored ${unknown.slice(0, 5).map((u) => `"${u.slice(0, 20)}"`).join(', ')}; this demo's controls are play, ${known.join(', ')}.`);
  }, [ready, shown, id, addNote]);
  const active = onScreen && pageVisible;
  // A tensor-free demo computes in JavaScript on the CPU: 'cpu' for views and hooks that ask.
  const backend = status.kind === 'ready' ? (status.backend ?? 'cpu') : 'cpu';
  const frameInfo = useMemo<DemoFrameInfo>(
    () => ({ id, prefix, backend, active, onNote: addNote, onReady, onBackend, onError, shows: (c: string) => shown === null || shown.has(c) }),
    [id, prefix, backend, active, addNote, onReady, onBackend, onError, shown],
  );

  if (!entry) {
    return (
      <figure className="demo demo-error" role="alert">
        Unknown demo &ldquo;{id}&rdquo;.
      </figure>
    );
  }
  return (
    <figure
      ref={ref}
      id={`demo-${id}`}
      className="demo"
      data-demo={id}
      // 'ready' only once the view has called onReady (its first result is on screen); 'starting' before.
      data-state={status.kind === 'error' ? 'error' : ready ? 'ready' : status.kind === 'ready' ? 'starting' : status.kind}
      aria-label={`Live demo: ${entry.title}`}
    >
      <figcaption className="demo-head">
        <span className="demo-title">{entry.title}</span>
        <span className="demo-tools">
          {status.kind === 'ready' && status.backend !== null && (status.worker?.started ?? true) && (
            <span className="badge" data-backend={status.backend} title={`The TensorFlow.js backend running this demo (${status.detail})`}>
              {status.backend}
            </span>
          )}
          {status.kind === 'ready' && status.backend === null && (
            <span className="badge" data-backend="none" title="This demo computes in plain JavaScript, without tensors: no TensorFlow.js is loaded">
              JavaScript
            </span>
          )}
          <CopyLink anchor={`demo-${id}`} />
        </span>
      </figcaption>
      {notes.length > 0 && (
        <ul className="demo-notes" role="status">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <div className="demo-body" style={entry.minHeight ? { minHeight: entry.minHeight } : undefined}>
        {status.kind === 'waiting' && <p className="demo-placeholder">The live demo loads as you scroll to it.</p>}
        {status.kind === 'loading' && <p className="demo-placeholder">{status.what}</p>}
        {status.kind === 'error' && (
          <div className="demo-error" role="alert">
            <p>This demo stopped: {status.message}</p>
            <button
              type="button"
              onClick={() => {
                setReady(false);
                setStatus({ kind: 'waiting' });
                setAttempt((a) => a + 1);
              }}
            >
              Retry
            </button>
          </div>
        )}
        {status.kind === 'ready' && mounted && (
          <Boundary onError={onError} key={attempt}>
            <DemoFrameContext.Provider value={frameInfo}>
              <status.View />
            </DemoFrameContext.Provider>
          </Boundary>
        )}
        {status.kind === 'ready' && !mounted && (
          <p className="demo-placeholder" data-unmounted="">
            Demo unmounted.
          </p>
        )}
      </div>
    </figure>
  );
}
