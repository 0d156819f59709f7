/**
 * The page's two modes in real Chromium: a digit drawn with the mouse gets the same answer (digit,
 * model input, probabilities within float tolerance) "on the server" as "in this browser", for one
 * model and for an ensemble (the mean of the members' softmax).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startServer } from "../../server/start_server.ts";
import {
  CHROMIUM,
  CHROMIUM_AVAILABLE,
  drawStroke,
  launchChromium,
  settledAnswer,
  STROKES,
} from "./_chromium.ts";
import { FIXTURE_IMAGES, FIXTURE_MODEL } from "./_fixture.ts";
import { makeCalibratedFolder, makeEnsembleFolder } from "./_run_folders.ts";

if (!CHROMIUM_AVAILABLE) {
  console.log(`SKIPPED page_modes_browser_test: ${CHROMIUM} is missing (apt-get install chromium)`);
}

/** Probabilities from the two modes may differ by this much (float32 kernels differ by backend). */
const TOLERANCE = 1e-4;

function serve(modelDir: string, token?: string) {
  return startServer({
    modelDir,
    host: "127.0.0.1",
    port: 0,
    backend: "wasm",
    maxBatch: 8,
    batchTimeoutMs: 0,
    maxBodyBytes: 1024 * 1024,
    token,
  });
}

async function checkModesAgree(modelDir: string, members: number, token?: string): Promise<void> {
  const server = await serve(modelDir, token);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const external: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(server.url)) external.push(r.url());
    });
    await page.goto(server.url + "#mode=server" + (token ? `&token=${token}` : ""));
    await page.waitForFunction(`!document.getElementById("mode").hidden`);
    for (const [name, stroke] of Object.entries(STROKES)) {
      await page.click("#clear");
      await drawStroke(page, stroke);
      const onServer = await settledAnswer(page, "server");
      await page.click("#mode label:has-text('in this browser')");
      const here = await settledAnswer(page, "browser");
      await page.click("#mode label:has-text('on the server')");

      assert.equal(here.digit, onServer.digit, `drawn ${name}: same digit in both modes`);
      assert.equal(here.input.length, 784);
      // The server reports its input as 0..255 integers; the browser's floats round to the same.
      here.input.forEach((v, i) =>
        assert.ok(Math.abs(v - onServer.input[i]!) <= 0.5 / 255 + 1e-6, `input pixel ${i}`)
      );
      here.probabilities.forEach((p, k) =>
        assert.ok(
          Math.abs(p - onServer.probabilities[k]!) < TOLERANCE,
          `drawn ${name}: class ${k}: browser ${p} vs server ${onServer.probabilities[k]}`,
        )
      );
      assert.ok(Math.abs(here.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);
      const diff = Math.max(
        ...here.probabilities.map((p, k) => Math.abs(p - onServer.probabilities[k]!)),
      );
      const status = await page.locator("#status").textContent();
      console.log(
        `drawn ${name}: ${here.digit} at ${Math.max(...here.probabilities).toFixed(4)}, ` +
          `largest difference ${diff.toExponential(1)} (${status})`,
      );
    }
    // An upload, read in this browser (the browser's JPEG decoder, then the same preprocessing).
    await page.click("#mode label:has-text('in this browser')");
    await page.click("#clear");
    await page.setInputFiles("#upload", FIXTURE_IMAGES + "five_black_on_white.jpg");
    assert.equal((await settledAnswer(page, "browser")).digit, "5");
    const footer = await page.locator("#model").textContent();
    if (members > 1) assert.match(footer ?? "", new RegExp(`ensemble of ${members}`));
    assert.deepEqual(errors, []);
    assert.deepEqual(external, [], "tfjs and the model come from the server, not a CDN");
  } finally {
    await browser.close();
    await server.shutdown();
  }
}

Deno.test({
  name: "page modes: one model answers the same in this browser as on the server",
  ignore: !CHROMIUM_AVAILABLE,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () => checkModesAgree(FIXTURE_MODEL, 1),
});

Deno.test({
  name: "page modes: a calibrated run answers the same in this browser as on the server",
  ignore: !CHROMIUM_AVAILABLE,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await makeCalibratedFolder(2);
    try {
      await checkModesAgree(dir, 1);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "page modes: an ensemble behind a token, one member calibrated, answers the same in both modes",
  ignore: !CHROMIUM_AVAILABLE,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await makeEnsembleFolder();
    try {
      // Member a gets T = 2 and b none: each member's own temperature applies before the mean.
      const path = join(dir, "a", "manifest.json");
      const manifest = JSON.parse(await Deno.readTextFile(path));
      manifest.calibration = { method: "temperature", temperature: 2 };
      await Deno.writeTextFile(path, JSON.stringify(manifest));
      await checkModesAgree(dir, 2, "correct-horse-battery");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
