/** `deno task train`: not built yet (placeholder so main.ts type-checks). */
export const summary = "train";
export const help = "deno task train: not built yet";
export function run(_args: string[]): Promise<number> {
  return Promise.reject(new Error("'train' is not built yet"));
}
