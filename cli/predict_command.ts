/** `deno task predict`: not built yet (placeholder so main.ts type-checks). */
export const summary = "predict";
export const help = "deno task predict: not built yet";
export function run(_args: string[]): Promise<number> {
  return Promise.reject(new Error("'predict' is not built yet"));
}
