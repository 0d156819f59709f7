/** A run of lines cut from one chunk of a file, with their 1-based line numbers. */
export interface LineBlock {
  /** The file the lines come from, as the user gave it. */
  file: string;
  /** The lines without their line ending (views into the file's chunk). Blank lines are left out. */
  lines: Uint8Array[];
  /** `lineNumbers[i]` is the 1-based line number of `lines[i]` in the file. */
  lineNumbers: number[];
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

const LF = 10;
const CR = 13;

/**
 * Stage 4: splits a file's byte chunks into lines, on raw bytes (no text decoding). Handles CRLF
 * and LF endings, a UTF-8 byte-order mark, a missing final newline, blank lines, and the header
 * once per file. Emits one {@link LineBlock} per input chunk, so the per-line cost stays a view.
 *
 * @example
 * ```ts
 * import { LineSplitStream } from "./line_split_stream.ts";
 * const bytes = new TextEncoder().encode("\uFEFFa,b\r\n1,2\r\n3,4");
 * const blocks = await Array.fromAsync(
 *   ReadableStream.from([bytes]).pipeThrough(new LineSplitStream({ file: "x.csv", header: true })),
 * );
 * console.assert(new TextDecoder().decode(blocks[0]!.header!) === "a,b");
 * console.assert(blocks[0]!.lines.length === 2 && blocks[0]!.lineNumbers[1] === 3);
 * ```
 */
export class LineSplitStream extends TransformStream<Uint8Array, LineBlock> {
  constructor(options: LineSplitStreamOptions) {
    const { file } = options;
    let wantHeader = options.header;
    let headerSent = false;
    let lineNo = 0;
    let rest: Uint8Array | null = null; // the unfinished line carried from the previous chunk
    let atStart = true; // BOM check pending

    const make = (): LineBlock => {
      const block: LineBlock = { file, lines: [], lineNumbers: [] };
      if (!headerSent) block.header = null;
      return block;
    };
    const add = (block: LineBlock, line: Uint8Array) => {
      lineNo++;
      let end = line.length;
      if (end > 0 && line[end - 1] === CR) end--;
      if (isBlank(line, end)) return;
      const view = end === line.length ? line : line.subarray(0, end);
      if (wantHeader) {
        wantHeader = false;
        block.header = view;
        return;
      }
      block.lines.push(view);
      block.lineNumbers.push(lineNo);
    };
    const emit = (block: LineBlock, controller: TransformStreamDefaultController<LineBlock>) => {
      if (block.lines.length > 0 || (block.header !== undefined && block.header !== null)) {
        controller.enqueue(block);
        headerSent = true;
      }
    };

    super({
      transform(chunk, controller) {
        if (atStart) {
          const joined: Uint8Array = rest === null ? chunk : concat(rest, chunk);
          if (joined.length < 3 && joined[0] === 0xef) { // wait for the whole BOM
            rest = joined;
            return;
          }
          atStart = false;
          rest = null;
          chunk = joined[0] === 0xef && joined[1] === 0xbb && joined[2] === 0xbf
            ? joined.subarray(3)
            : joined;
        }
        const block = make();
        let start = 0;
        let nl = chunk.indexOf(LF);
        if (rest !== null) {
          if (nl === -1) {
            rest = concat(rest, chunk);
            return;
          }
          add(block, concat(rest, chunk.subarray(0, nl)));
          rest = null;
          start = nl + 1;
          nl = chunk.indexOf(LF, start);
        }
        while (nl !== -1) {
          add(block, chunk.subarray(start, nl));
          start = nl + 1;
          nl = chunk.indexOf(LF, start);
        }
        // Copy the unfinished tail so the big chunk is not kept alive by it.
        if (start < chunk.length) rest = chunk.slice(start);
        emit(block, controller);
      },
      flush(controller) {
        const block = make();
        if (rest !== null && rest.length > 0) add(block, rest);
        rest = null;
        emit(block, controller);
      },
    });
  }
}

function isBlank(line: Uint8Array, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = line[i];
    if (c !== 32 && c !== 9 && c !== CR) return false;
  }
  return true;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
