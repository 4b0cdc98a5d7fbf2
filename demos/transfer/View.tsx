'use client';
import { BasePanel } from './BasePanel';
import { TransferPanel } from './TransferPanel';

/**
 * Transfer learning: the shipped cnn-0to4 (digits 0–4) misreading digits 5–9, then seven networks trained in a
 * Web Worker on k labelled digits per class of 5–9: from scratch, and with the base's first n layers copied,
 * frozen or fine-tuned, for n = 1, 2, 3.
 */
export default function TransferView() {
  return (
    <div className="transfer-demo">
      <BasePanel />
      <TransferPanel />
    </div>
  );
}
