import { _lineOffsets, _splitLines, type _SplitState } from "./_split_lines.ts";

/**
 * A run of lines cut from a file, as offsets into one buffer (no object per line). Line `i` is
 * `bytes.subarray(starts[i], ends[i])`, without its line ending; blank lines are left out.
 */
export interface LineBlock {
  /** The file the lines come from, as the user gave it. */
  file: string;
  /** The buffer holding the lines. */
  bytes: Uint8Array;
  /** Start offset of each line in `bytes`. */
  starts: Int32Array;
  /** End offset (exclusive, CR stripped) of each line in `bytes`. */
  ends: Int32Array;
  /** 1-based line number of each line in the file. */
  lineNumbers: Int32Array;
  /** Number of lines (the arrays may be longer). */
  count: number;
  /** On the file's first block only: its header line (`header: true`), else `null`. */
  header?: Uint8Array | null;
}

/** Options of {@link LineSplitStream}. */
export interface LineSplitStreamOptions {
  /** The file name carried on every block (for error messages). */
  file: string;
  /** Whether the first non-blank line is a header, passed once on the first block. */
  header: boolean;
}

/**
 * Stage 4: splits a file's byte chunks into lines, on raw bytes (no text decoding). Handles CRLF
 * and LF endings, a UTF-8 byte-order mark, a missing final newline, blank lines, and the header
 * once per file. Emits one {@link LineBlock} per input chunk.
 *
 * @example
 * ```ts
 * import assert from "node:assert";
 * import { LineSplitStream } from "./line_split_stream.ts";
 * const bytes = new TextEncoder().encode("\uFEFFa,b\r\n1,2\r\n3,4");
 * const blocks = await Array.fromAsync(
 *   ReadableStream.from([bytes]).pipeThrough(new LineSplitStream({ file: "x.csv", header: true })),
 * );
 * assert.equal(new TextDecoder().decode(blocks[0]!.header!), "a,b");
 * // "1,2" in the chunk's block; "3,4" (no final newline) in the block flushed at the end.
 * const lines = blocks.flatMap((b) => [...b.lineNumbers.subarray(0, b.count)]);
 * assert.deepEqual(lines, [2, 3]);
 * ```
 */
export class LineSplitStream extends TransformStream<Uint8Array, LineBlock> {
  constructor(options: LineSplitStreamOptions) {
    const { file } = options;
    const state: _SplitState = { lineNo: 0, wantHeader: options.header, header: null };
    let rest: Uint8Array | null = null; // the unfinished line carried from the previous chunk
    let atStart = true; // BOM check pending
    let headerSent = false;

    const split = (
      bytes: Uint8Array,
      final: boolean,
      controller: TransformStreamDefaultController<LineBlock>,
    ) => {
      const { consumed, out } = _splitLines(bytes, 0, bytes.length, final, state, _lineOffsets(64));
      rest = consumed < bytes.length ? bytes.slice(consumed) : null;
      const block: LineBlock = { file, bytes, ...out };
      if (!headerSent) block.header = state.header;
      if (out.count > 0 || (!headerSent && state.header !== null)) {
        controller.enqueue(block);
        headerSent = true;
      }
    };

    super({
      transform(chunk, controller) {
        let bytes: Uint8Array = rest === null ? chunk : concat(rest, chunk);
        rest = null;
        if (atStart) {
          if (bytes.length < 3 && bytes[0] === 0xef) { // wait for the whole BOM
            rest = bytes;
            return;
          }
          atStart = false;
          if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
            bytes = bytes.subarray(3);
          }
        }
        split(bytes, false, controller);
      },
      flush(controller) {
        if (rest !== null && rest.length > 0) split(rest, true, controller);
      },
    });
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
