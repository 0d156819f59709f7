/** `deno task bench`: not built yet (placeholder so main.ts type-checks). */
export const summary = "bench";
export const help = "deno task bench: not built yet";
export function run(_args: string[]): Promise<number> {
  return Promise.reject(new Error("'bench' is not built yet"));
}
