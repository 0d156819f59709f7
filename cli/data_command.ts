/** `deno task data`: not built yet (placeholder so main.ts type-checks). */
export const summary = "data";
export const help = "deno task data: not built yet";
export function run(_args: string[]): Promise<number> {
  return Promise.reject(new Error("'data' is not built yet"));
}
