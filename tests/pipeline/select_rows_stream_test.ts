import assert from "node:assert/strict";
import { SelectRowsStream } from "../../pipeline/select_rows_stream.ts";
import { collect } from "./_fixture.ts";

Deno.test("SelectRowsStream keeps row i counts[i] times, in order, and drops rows past the end", async () => {
  const out = await collect(
    ReadableStream.from([10, 11, 12, 13, 14]).pipeThrough(
      new SelectRowsStream(Uint8Array.of(0, 3, 1, 0)),
    ),
  );
  assert.deepEqual(out, [11, 11, 11, 12]);
});
