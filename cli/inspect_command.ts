/** `deno task inspect`: not built yet (placeholder so main.ts type-checks). */
export const summary = "inspect";
export const help = "deno task inspect: not built yet";
export function run(_args: string[]): Promise<number> {
  return Promise.reject(new Error("'inspect' is not built yet"));
}
