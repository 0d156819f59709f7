/**
 * Line splitting on raw bytes, shared by `LineSplitStream` and the fused file reader of
 * `readExamples`: finds complete lines in `bytes[from..to)`, strips CR, skips blank lines, sets
 * the header aside once, and records line offsets (no view object per line).
 *
 * @module
 */

/** Per-file state carried between calls. */
export interface _SplitState {
  /** Lines seen so far (1-based numbering of the next line is `lineNo + 1`). */
  lineNo: number;
  /** The next non-blank line is the header. */
  wantHeader: boolean;
  /** The header line, once found (a copy). */
  header: Uint8Array | null;
}

/** Offsets of the lines found, in arrays the caller may reuse. */
export interface _LineOffsets {
  starts: Int32Array;
  ends: Int32Array;
  lineNumbers: Int32Array;
  count: number;
}

const LF = 10;
const CR = 13;

/** Makes offset arrays for up to `capacity` lines. */
export function _lineOffsets(capacity: number): _LineOffsets {
  return {
    starts: new Int32Array(capacity),
    ends: new Int32Array(capacity),
    lineNumbers: new Int32Array(capacity),
    count: 0,
  };
}

/**
 * Splits the complete lines of `bytes[from..to)` into `out` (grown when full); with `final`, a
 * last line without a newline counts too. Returns the index after the last consumed byte.
 */
export function _splitLines(
  bytes: Uint8Array,
  from: number,
  to: number,
  final: boolean,
  state: _SplitState,
  out: _LineOffsets,
): { consumed: number; out: _LineOffsets } {
  let start = from;
  out.count = 0;
  for (;;) {
    let nl = bytes.indexOf(LF, start);
    if (nl === -1 || nl >= to) {
      if (!final || start >= to) break;
      nl = to;
    }
    state.lineNo++;
    let end = nl;
    if (end > start && bytes[end - 1] === CR) end--;
    if (!isBlank(bytes, start, end)) {
      if (state.wantHeader) {
        state.wantHeader = false;
        state.header = bytes.slice(start, end);
      } else {
        if (out.count === out.starts.length) out = grow(out);
        out.starts[out.count] = start;
        out.ends[out.count] = end;
        out.lineNumbers[out.count] = state.lineNo;
        out.count++;
      }
    }
    start = nl + 1;
    if (nl === to) break;
  }
  return { consumed: Math.min(start, to), out };
}

function grow(out: _LineOffsets): _LineOffsets {
  const bigger = _lineOffsets(out.starts.length * 2);
  bigger.starts.set(out.starts);
  bigger.ends.set(out.ends);
  bigger.lineNumbers.set(out.lineNumbers);
  bigger.count = out.count;
  return bigger;
}

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c !== 32 && c !== 9 && c !== CR) return false;
  }
  return true;
}
