import { fileURLToPath } from "node:url";

/** Path of a file under tests/fixtures/csv/. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/csv/${name}`, import.meta.url));
}

/** Reads a stream to an array. */
export function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  return Array.fromAsync(stream);
}

/** Rejects with the error a promise throws (fails if it resolves). */
export async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error, but the call succeeded");
}
