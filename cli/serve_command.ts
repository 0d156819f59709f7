/** `deno task serve`: not built yet (placeholder so main.ts type-checks). */
export const summary = "serve";
export const help = "deno task serve: not built yet";
export function run(_args: string[]): Promise<number> {
  return Promise.reject(new Error("'serve' is not built yet"));
}
