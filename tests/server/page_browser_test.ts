/**
 * The draw-a-digit page in a real browser: Debian's chromium driven by playwright-core. Draws a
 * digit with the mouse, waits for the prediction, checks the bar chart, uploads an image, and saves
 * a screenshot (DIGITS_SCREENSHOT=path to keep it; it is always written to a temp file).
 */
import assert from "node:assert/strict";
import { startServer } from "../../server/start_server.ts";
import { FIXTURE_IMAGES, FIXTURE_MODEL } from "./_fixture.ts";
import { CHROMIUM, CHROMIUM_AVAILABLE as available, launchChromium } from "./_chromium.ts";

if (!available) {
  console.log(
    `SKIPPED page_browser_test: ${CHROMIUM} is missing (install it with 'apt-get install -y chromium')`,
  );
}

/** Mouse path of a "7": a top bar, then a diagonal down-left, in canvas pixels (280×280). */
const SEVEN: [number, number][] = [
  [70, 60],
  [120, 58],
  [170, 56],
  [210, 58],
  [195, 100],
  [175, 145],
  [155, 190],
  [140, 235],
];

Deno.test({
  name: "draw page: drawing a 7 with the mouse shows a prediction and ten bars",
  ignore: !available,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const server = await startServer({
      modelDir: FIXTURE_MODEL,
      host: "127.0.0.1",
      port: 0,
      backend: "wasm",
      maxBatch: 64,
      batchTimeoutMs: 0,
      maxBodyBytes: 1024 * 1024,
    });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 640 } });
      const external: string[] = [];
      page.on("request", (r) => {
        if (!r.url().startsWith(server.url) && !r.url().startsWith("data:")) external.push(r.url());
      });
      const consoleErrors: string[] = [];
      page.on("pageerror", (e) => consoleErrors.push(String(e)));
      await page.goto(server.url);
      await page.waitForSelector("#bars li >> nth=9");
      await page.waitForFunction(`document.getElementById("model").textContent.includes("mlp")`);

      const box = (await page.locator("#pad").boundingBox())!;
      const at = ([x, y]: [number, number]) =>
        [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
      await page.mouse.move(...at(SEVEN[0]!));
      await page.mouse.down();
      for (const p of SEVEN.slice(1)) await page.mouse.move(...at(p), { steps: 6 });
      await page.mouse.up();

      // Wait for the final (post-stroke) prediction: nothing due, nothing in flight.
      await page.waitForFunction(
        `document.getElementById("digit").dataset.state !== "empty" && document.body.dataset.busy === "false"`,
      );
      const digit = await page.locator("#digit").textContent();
      const bars = await page.locator("#bars li").count();
      const widths = await page.locator("#bars .fill").evaluateAll((els) =>
        els.map((e) => parseFloat((e as unknown as { style: { width: string } }).style.width))
      );
      const top = await page.locator("#bars li.top .name").textContent();
      const shot = Deno.env.get("DIGITS_SCREENSHOT") ?? await Deno.makeTempFile({ suffix: ".png" });
      await page.screenshot({ path: shot });
      console.log(`drew a 7, page shows ${digit}; screenshot ${shot}`);

      assert.match(digit ?? "", /^[0-9]$/);
      assert.equal(digit, "7");
      assert.equal(bars, 10);
      assert.equal(top, digit, "the highlighted bar is the predicted digit");
      assert.ok(
        Math.abs(widths.reduce((a, b) => a + b, 0) - 100) < 1,
        "bars are percentages summing to 100",
      );

      // Clear resets the verdict.
      await page.click("#clear");
      assert.equal(await page.locator("#digit").textContent(), "?");

      // Upload a photo of a 5.
      await page.setInputFiles("#upload", FIXTURE_IMAGES + "five_black_on_white.jpg");
      await page.waitForFunction(`document.getElementById("digit").textContent === "5"`);

      assert.deepEqual(external, [], "the page loads nothing from outside the server");
      assert.deepEqual(consoleErrors, []);
    } finally {
      await browser.close();
      await server.shutdown();
    }
  },
});
