/** `deno task evaluate`: not built yet (placeholder so main.ts type-checks). */
export const summary = "evaluate";
export const help = "deno task evaluate: not built yet";
export function run(_args: string[]): Promise<number> {
  return Promise.reject(new Error("'evaluate' is not built yet"));
}
