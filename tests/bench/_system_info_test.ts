import assert from "node:assert/strict";
import { _formatSystemInfo, _spread, _systemInfo, QUIET_LOAD } from "../../bench/_system_info.ts";

Deno.test("_spread gives the median and the min–max", () => {
  assert.deepEqual(_spread([3, 1, 2]), { median: 2, min: 1, max: 3 });
  assert.deepEqual(_spread([4, 1, 2, 3]), { median: 2.5, min: 1, max: 4 });
});

Deno.test("_systemInfo reads the CPU, versions and a peak; the header warns above 0.3 load", async () => {
  const info = await _systemInfo({ torch: "1.13" });
  assert.ok(info.cores >= 1);
  assert.ok(info.versions.tfjs !== undefined && info.versions.torch === "1.13");
  const quiet = _formatSystemInfo({ ...info, loadAverage: QUIET_LOAD / 2 }).join("\n");
  const busy = _formatSystemInfo({ ...info, loadAverage: 2 }).join("\n");
  assert.ok(!quiet.includes("WARNING") && busy.includes("WARNING: load average 2.00"));
  assert.match(quiet, /peak: \d+ cores × (32|64) FLOP\/cycle/);
});
