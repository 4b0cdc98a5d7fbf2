'use client';
import type { ReactNode } from 'react';
import type { ParamValues } from '../../runtime/params';
import { useFrame } from '../frame';
import { DigitInput, type DigitMeta, type DigitMode } from './DigitInput';
import type { digitInputParams } from './params';
import type { TestDigits } from './useTestDigits';

type DigitTable = ReturnType<typeof digitInputParams>;

/**
 * A DigitInput whose mode and test digit live in the demo's `digitInputParams` table (so in the URL): the
 * wiring every digit demo repeats, once.
 */
export function DigitParamInput({
  values,
  set,
  onInput,
  test,
  children,
}: {
  values: ParamValues<DigitTable>;
  set: <K extends keyof DigitTable>(key: K, value: ParamValues<DigitTable>[K]) => void;
  onInput: (input: Float32Array | null, meta: DigitMeta) => void;
  test: TestDigits;
  children?: ReactNode;
}) {
  const { prefix } = useFrame();
  return (
    <DigitInput
      indexName={`${prefix}digit`}
      mode={values.input as DigitMode}
      onModeChange={(m) => set('input', m)}
      testIndex={values.digit}
      onTestIndexChange={(i) => set('digit', i)}
      onInput={onInput}
      test={test}
    >
      {children}
    </DigitInput>
  );
}
