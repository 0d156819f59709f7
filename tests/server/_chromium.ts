/** Shared helpers for the real-Chromium page tests: launch flags, drawing, reading the answer. */
import type { Browser, Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** True when Debian's chromium is installed (the browser tests skip, saying so, without it). */
export const CHROMIUM_AVAILABLE = await Deno.stat(CHROMIUM).then(() => true, () => false);

/** Headless Chromium with the flags every page test uses. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
  });
}

/** Mouse paths in canvas pixels (280×280) of a few digits. */
export const STROKES: Record<string, [number, number][]> = {
  "7": [[70, 60], [120, 58], [170, 56], [210, 58], [195, 100], [175, 145], [155, 190], [140, 235]],
  "1": [[140, 50], [141, 100], [142, 150], [143, 200], [144, 240]],
  "0": [
    [140, 45],
    [95, 70],
    [80, 140],
    [95, 210],
    [140, 235],
    [185, 210],
    [200, 140],
    [185, 70],
    [140, 45],
  ],
};

/** Draws one stroke through `points` (canvas pixels) on the page's pad with the mouse. */
export async function drawStroke(page: Page, points: [number, number][]): Promise<void> {
  const box = (await page.locator("#pad").boundingBox())!;
  const at = ([x, y]: [number, number]) =>
    [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 6 });
  await page.mouse.up();
}

/** The page's last answer (`globalThis.digitsLast`): the mode, probabilities and model input. */
export interface PageAnswer {
  mode: "server" | "browser";
  digit: string;
  probabilities: number[];
  input: number[];
}

/** Waits until the page has answered in `mode` with nothing due or in flight, and reads it. */
export async function settledAnswer(page: Page, mode: "server" | "browser"): Promise<PageAnswer> {
  await page.waitForFunction(
    `globalThis.digitsLast?.mode === ${JSON.stringify(mode)} && ` +
      `document.body.dataset.busy === "false"`,
    undefined,
    { timeout: 60_000 },
  );
  const last = await page.evaluate("globalThis.digitsLast") as Omit<PageAnswer, "digit">;
  const digit = (await page.locator("#digit").textContent()) ?? "";
  return { ...last, digit };
}
