import type { BackendName } from '../runtime/tf';

/** What the Demo frame hands every demo view. */
export interface DemoViewProps {
  /** The backend that actually runs (after any fallback). */
  backend: BackendName;
  /** True while the demo is on screen and the tab visible: loops must pause otherwise. */
  active: boolean;
  /** Prefix of this demo's URL query keys ('' for the page's main demo). */
  prefix: string;
  /** Show a note in the frame (a clamped URL value, a fallback): visible, not console-only. */
  onNote: (message: string) => void;
  /** Call once the first result is on screen (timed by the benchmark, awaited by tests). */
  onReady: () => void;
  /** Report a failure the view cannot recover from; the frame shows it with a retry. */
  onError: (error: unknown) => void;
}
