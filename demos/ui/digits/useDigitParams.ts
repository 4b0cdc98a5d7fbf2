'use client';
import { useCallback, useState } from 'react';
import type { ParamValues } from '../../runtime/params';
import { useDemoParams } from '../controls/useDemoParams';
import { useFrame } from '../frame';
import type { DigitInputProps, DigitMeta, DigitMode } from './DigitInput';
import type { digitInputParams } from './params';
import { useTestDigits } from './useTestDigits';

type Table = ReturnType<typeof digitInputParams>;

/**
 * A DigitInput wired to a demo's digit parameters (digitInputParams): the mode and the test digit live in the
 * URL, the test digits load when the mode needs them (or always, with `alwaysTest`). `props` goes on the
 * DigitInput; `digit` is the input it gives now (null: none), for the view to answer (a view that must act on each
 * input as it comes passes its own onInput after the props); `next()` is the "Next test digit" step the browser
 * tests click.
 */
export function useDigitParams(table: Table, alwaysTest = false) {
  const { values, set } = useDemoParams(table);
  const { prefix } = useFrame();
  const mode = values.input as DigitMode;
  const test = useTestDigits(alwaysTest || mode === 'test');
  const [digit, setDigit] = useState<{ input: Float32Array; meta: DigitMeta } | null>(null);
  const onInput = useCallback((input: Float32Array | null, meta: DigitMeta) => setDigit(input ? { input, meta } : null), []);
  const count = test.kind === 'ready' ? test.data.count : table.digit.max + 1;
  const props: Omit<DigitInputProps, 'children'> = {
    indexName: `${prefix}digit`,
    mode,
    onModeChange: (m) => set('input', m),
    testIndex: values.digit,
    onTestIndexChange: (i) => set('digit', i),
    test,
    onInput,
  };
  const next = () => {
    set('input', 'test');
    set('digit', mode === 'test' ? (values.digit + 1) % count : values.digit);
  };
  return { values: values as ParamValues<Table>, mode, test, props, digit, next };
}
