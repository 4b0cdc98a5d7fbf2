'use client';
import { createContext } from 'react';

/** What the Demo frame hands the hooks inside a view (useDemoParams, useLoop) without prop drilling. */
export interface DemoFrameInfo {
  /** The demo's id in the registry. */
  id: string;
  /** Report a failure: the frame shows it with a Retry (or switches backend if the backend died). */
  onError: (error: unknown) => void;
}

/** Provided by components/Demo around every view; the default only serves views rendered bare. */
export const DemoFrameContext = createContext<DemoFrameInfo>({
  id: '',
  onError: (e) => console.error(e),
});
