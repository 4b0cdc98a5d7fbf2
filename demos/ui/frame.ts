'use client';
import { createContext, useContext } from 'react';
import type { BackendName } from '@/demos/runtime/tf';

/** What the Demo frame hands every view and the kit's hooks inside it (no prop drilling). */
export interface DemoFrameInfo {
  /** The demo's id in the registry. */
  id: string;
  /** Prefix of this demo's URL query keys ('' for the page's main demo). */
  prefix: string;
  /** The backend that actually runs (after any fallback). */
  backend: BackendName;
  /** True while the demo is on screen and the tab visible: loops pause otherwise. */
  active: boolean;
  /** Show a note in the frame (a clamped URL value, a fallback): visible, not console-only. */
  onNote: (message: string) => void;
  /** Call once the first result is on screen (timed by the benchmark, awaited by tests). */
  onReady: () => void;
  /**
   * A view whose tensors live in a Web Worker (registry `tensors: 'worker'`) reports the backend the worker started:
   * the badge shows it, and the notes (a fallback) join the frame's.
   */
  onBackend: (started: { backend: BackendName; detail: string; notes: string[] }) => void;
  /** Report a failure: the frame shows it with a Retry (or switches backend if the backend died). */
  onError: (error: unknown) => void;
  /**
   * Whether to show a control: a parameter's URL key, or 'play' for the transport. An embed for slides may
   * show only some (`/embed/<demo>/?controls=rate,play`, or `controls=none`); everywhere else all show.
   */
  shows: (control: string) => boolean;
}

/** Provided by components/Demo around every view; the default only serves views rendered bare (tests). */
export const DemoFrameContext = createContext<DemoFrameInfo>({
  id: '',
  prefix: '',
  backend: 'cpu',
  active: true,
  onNote: () => {},
  onReady: () => {},
  onBackend: () => {},
  onError: (e) => console.error(e),
  shows: () => true,
});

export function useFrame(): DemoFrameInfo {
  return useContext(DemoFrameContext);
}
