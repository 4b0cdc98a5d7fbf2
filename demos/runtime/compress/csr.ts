/**
 * Compressed sparse row storage of a pruned weight matrix, what it costs in bytes, and its product with a
 * batch of inputs: the measurements behind "a pruned model is neither smaller nor faster" until it is stored
 * and run as a sparse one.
 */

/** A matrix [rows × cols] in CSR: row r's kept entries are values[rowPtr[r] … rowPtr[r+1]) at columns colIndex[…]. */
export interface Csr {
  rows: number;
  cols: number;
  values: Float32Array;
  colIndex: Int32Array;
  rowPtr: Int32Array;
}

/** The CSR form of the row-major matrix `dense` [rows × cols], keeping the entries where `mask` is 1. */
export function toCsr(dense: ArrayLike<number>, rows: number, cols: number, mask: ArrayLike<number>): Csr {
  if (dense.length !== rows * cols || mask.length !== rows * cols) throw new RangeError(`toCsr: need ${rows * cols} entries, got ${dense.length} values and ${mask.length} mask entries`);
  let nnz = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) nnz++;
  const values = new Float32Array(nnz);
  const colIndex = new Int32Array(nnz);
  const rowPtr = new Int32Array(rows + 1);
  let e = 0;
  for (let r = 0; r < rows; r++) {
    rowPtr[r] = e;
    for (let c = 0; c < cols; c++) {
      if (mask[r * cols + c]) {
        values[e] = dense[r * cols + c];
        colIndex[e++] = c;
      }
    }
  }
  rowPtr[rows] = e;
  return { rows, cols, values, colIndex, rowPtr };
}

/** Bytes of a [rows × cols] layer with `nnz` kept weights in each encoding (float32 values throughout). */
export interface EncodingBytes {
  /** All rows × cols weights as float32, zeros included: what a pruned model saves by default. */
  dense: number;
  /** CSR with 32-bit column indices and row pointers. */
  csr32: number;
  /** CSR with 16-bit column indices (cols ≤ 65,536), 32-bit row pointers. */
  csr16: number;
  /** Relative indices of `indexBits` bits (fillers included) with a float32 per entry, bit-packed. */
  relative: number;
}

/** The bytes of each encoding; `entries` counts the relative-index stream's entries (kept + fillers). */
export function encodingBytes(rows: number, cols: number, nnz: number, entries: number, indexBits: number): EncodingBytes {
  return {
    dense: 4 * rows * cols,
    csr32: 4 * nnz + 4 * nnz + 4 * (rows + 1),
    csr16: 4 * nnz + 2 * nnz + 4 * (rows + 1),
    relative: Math.ceil((entries * (32 + indexBits)) / 8),
  };
}

/**
 * y = x · W for a batch x [batch × rows] (row-major) and W in CSR [rows × cols]: for each input unit, its
 * kept outgoing weights scatter into the outputs. Plain TypeScript, the way a sparse kernel without vector
 * units runs: the multiply-adds fall with the density, but every one reads an index and writes to a scattered place.
 */
export function csrMatMul(x: Float32Array, batch: number, w: Csr, out = new Float32Array(batch * w.cols)): Float32Array {
  out.fill(0);
  const { rows, cols, values, colIndex, rowPtr } = w;
  for (let s = 0; s < batch; s++) {
    const xo = s * rows;
    const yo = s * cols;
    for (let r = 0; r < rows; r++) {
      const xv = x[xo + r];
      for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) out[yo + colIndex[e]] += xv * values[e];
    }
  }
  return out;
}
