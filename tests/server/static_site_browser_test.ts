/**
 * `exportSite` output in real Chromium, served by a plain static file server (no digits server
 * behind it, and from a sub-path, as on a static host): drawing a digit gets a prediction made in
 * the browser; a run whose manifest records a temperature gets softmax(log p / T), and an
 * over-softened answer says "not sure" instead of a percentage.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { exportSite } from "../../server/export_site.ts";
import {
  CHROMIUM,
  CHROMIUM_AVAILABLE,
  drawStroke,
  launchChromium,
  type PageAnswer,
  settledAnswer,
  STROKES,
} from "./_chromium.ts";
import { FIXTURE_MODEL } from "./_fixture.ts";
import { makeCalibratedFolder } from "./_run_folders.ts";
import { serveStatic } from "./_static_server.ts";

if (!CHROMIUM_AVAILABLE) {
  console.log(
    `SKIPPED static_site_browser_test: ${CHROMIUM} is missing (apt-get install chromium)`,
  );
}

/** A large temperature: the fixture's near-certain answers become unsure. */
const TEMPERATURE = 20;

Deno.test({
  name: "exportSite: the static site predicts in Chromium, applies the temperature, says not sure",
  ignore: !CHROMIUM_AVAILABLE,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "digits-sites-" });
    const calibrated = await makeCalibratedFolder(TEMPERATURE);
    await exportSite({ modelDir: FIXTURE_MODEL, out: join(root, "plain") });
    await exportSite({ modelDir: calibrated, out: join(root, "calibrated") });
    const host = serveStatic(root);
    const browser = await launchChromium();
    try {
      const draw = async (site: string): Promise<PageAnswer & { confidence: string }> => {
        const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await page.goto(`${host.url}${site}/`);
        await page.waitForFunction(`document.getElementById("model").textContent.includes("mlp")`);
        assert.equal(await page.locator("#mode").isVisible(), false, "no server: no mode switch");
        assert.match(await page.locator("#local-note").innerText(), /runs in this browser/);
        await drawStroke(page, STROKES["7"]!);
        const answer = await settledAnswer(page, "browser");
        const confidence = (await page.locator("#confidence").textContent()) ?? "";
        if (site === "calibrated") {
          const shot = Deno.env.get("DIGITS_SCREENSHOT_UNSURE");
          if (shot) await page.screenshot({ path: shot });
        }
        assert.deepEqual(errors, []);
        await page.close();
        return { ...answer, confidence };
      };
      const plain = await draw("plain");
      assert.equal(plain.digit, "7");
      assert.match(plain.confidence, /^(\d+\.\d|over 99\.9)% sure$/);

      const soft = await draw("calibrated");
      assert.equal(soft.digit, "7", "a temperature never changes the predicted digit");
      const expected = _withTemperature(plain.probabilities, TEMPERATURE);
      soft.probabilities.forEach((p, k) =>
        assert.ok(Math.abs(p - expected[k]!) < 1e-4, `class ${k}: ${p} vs ${expected[k]}`)
      );
      assert.ok(Math.max(...soft.probabilities) < 0.8);
      assert.match(soft.confidence, /^not sure \(best guess \d+\.\d%\)$/);

      const outside = host.requests.filter((p) =>
        !p.startsWith("/plain/") && !p.startsWith("/calibrated/")
      );
      assert.deepEqual(outside, [], "every URL is relative to the site folder");
      assert.ok(
        !host.requests.some((p) => p.includes("predict")),
        "nothing asks a server to predict",
      );
    } finally {
      await browser.close();
      await host.close();
      await Deno.remove(root, { recursive: true });
      await Deno.remove(calibrated, { recursive: true });
    }
  },
});

/** softmax(log p / T), in float64. */
function _withTemperature(p: number[], t: number): number[] {
  const logits = p.map((v) => Math.log(Math.max(v, 1e-30)) / t);
  const max = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
