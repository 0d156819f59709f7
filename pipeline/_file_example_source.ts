/**
 * The fused stages 2, 4 and 5 that `readExamples` runs per file: read bytes into one reused
 * buffer → split lines (`_splitLines`) → parse (`CsvRowParser`). Same logic as `openFile` →
 * `LineSplitStream` → `CsvParseStream`, but no buffer is allocated per chunk and no stream hop is
 * paid per chunk or row — this keeps memory flat and the parse path fast on big files.
 *
 * @module
 */
import type { Example } from "./types.ts";
import type { CsvRowParser } from "./csv_row_parser.ts";
import type { _Source } from "./_interleave_sources.ts";
import { _lineOffsets, _splitLines, type _SplitState } from "./_split_lines.ts";

const BUFFER_BYTES = 1 << 18;

/** A record source reading `file` through `parser`; `header` says whether line 1 is a header. */
export function _fileExampleSource(
  file: string,
  header: boolean,
  parser: CsvRowParser,
): _Source<Example> {
  let handle: Deno.FsFile | null = null;
  let buffer = new Uint8Array(BUFFER_BYTES);
  let filled = 0;
  let eof = false;
  let done = false;
  let atStart = true;
  let headerPassed = false;
  let items: Example[] = [];
  let index = 0;
  let offsets = _lineOffsets(512);
  const state: _SplitState = { lineNo: 0, wantHeader: header, header: null };

  const close = () => {
    try {
      handle?.close();
    } catch { /* already closed */ }
    handle = null;
  };

  /** Splits and parses `buffer[from..filled)`; keeps the unfinished tail at the buffer start. */
  const parseBuffered = (from: number, final: boolean): Example[] => {
    const split = _splitLines(buffer, from, filled, final, state, offsets);
    offsets = split.out;
    let examples: Example[] = [];
    const passHeader = !headerPassed && state.header !== null;
    if (offsets.count > 0 || passHeader) {
      examples = parser.parse({
        file,
        bytes: buffer,
        ...offsets,
        ...(headerPassed ? {} : { header: state.header }),
      });
      headerPassed = true;
    }
    buffer.copyWithin(0, split.consumed, filled);
    filled -= split.consumed;
    return examples;
  };

  const refill = async (): Promise<Example | undefined> => {
    try {
      while (!done) {
        let examples: Example[];
        if (eof) {
          examples = parseBuffered(0, true);
          done = true;
          close();
          parser.finish();
        } else {
          if (handle === null) handle = await openOrExplain(file);
          if (filled === buffer.length) { // a line longer than the buffer: grow it
            const bigger = new Uint8Array(buffer.length * 2);
            bigger.set(buffer);
            buffer = bigger;
          }
          const n = await handle.read(buffer.subarray(filled));
          if (n === null) {
            eof = true;
            continue;
          }
          filled += n;
          let from = 0;
          if (atStart) {
            if (filled < 3 && buffer[0] === 0xef) continue; // wait for the whole BOM
            atStart = false;
            if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) from = 3;
          }
          examples = parseBuffered(from, false);
        }
        if (examples.length > 0) {
          items = examples;
          index = 1;
          return items[0];
        }
      }
      return undefined;
    } catch (err) {
      close();
      throw err;
    }
  };

  return {
    next: () => index < items.length ? items[index++] : refill(),
    cancel: () => {
      done = true;
      close();
      return Promise.resolve();
    },
  };
}

async function openOrExplain(file: string): Promise<Deno.FsFile> {
  try {
    return await Deno.open(file, { read: true });
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`Cannot open ${file}: no such file`);
    }
    throw err;
  }
}
