// The draw-a-digit page: pointer-event drawing, a bar chart of the ten probabilities, a clear
// button and an image upload. Two modes: "on the server" (debounced POST predict with the drawing
// as PNG) and "in this browser" (tfjs runs the model here on every stroke, no round trip). Both
// turn the drawing into the model's input with the same code (mnist_input.js). An exported static
// site (deno task export) has no server, so it runs in this browser only.
import { mnistInput, toGray } from "./mnist_input.js";
import { loadBrowserModel } from "./browser_model.js";

const pad = document.getElementById("pad");
const ctx = pad.getContext("2d", { willReadFrequently: true });
const seen = document.getElementById("seen");
const hint = document.getElementById("hint");
const digitEl = document.getElementById("digit");
const confEl = document.getElementById("confidence");
const thresholdEl = document.getElementById("threshold");
const bars = document.getElementById("bars");
const statusEl = document.getElementById("status");
const modelEl = document.getElementById("model");
const modeEl = document.getElementById("mode");
const DEBOUNCE_MS = 120;
/** Largest side an upload is decoded at in this browser (the server caps pixels too). */
const MAX_UPLOAD_SIDE = 2048;

// Options in the URL fragment: #token=... (a bearer token for a server bound beyond loopback),
// #mode=browser|server, #threshold=0.9 (below it the page says "not sure").
const options = new URLSearchParams(location.hash.slice(1));
const token = options.get("token");
const authHeaders = token ? { authorization: `Bearer ${token}` } : {};
/** Below this top probability the page says "not sure" instead of "NN% sure". */
const SURE_THRESHOLD = _threshold(options.get("threshold"));

let classes = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
let inputShape = [28, 28, 1];
/** "server" or "browser". */
let mode = "server";
/** model/index.json, once read (null: this server offers no in-browser model). */
let modelIndex = null;
/** @type {Promise<{ backend: string, predict: (x: Float32Array) => Promise<Float32Array> }> | null} */
let browserModel = null;
let drawing = false;
let dirty = false;
let last = null;
let timer = 0;
let inFlight = false;
let pending = false;

function _threshold(text) {
  const t = text === null ? NaN : Number(text);
  return Number.isFinite(t) && t > 0 && t <= 1 ? t : 0.8;
}

function resetPad() {
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, pad.width, pad.height);
  ctx.strokeStyle = "#111";
  ctx.fillStyle = "#111";
  ctx.lineWidth = 18;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  dirty = false;
  hint.classList.remove("hidden");
}

function buildBars() {
  bars.replaceChildren(...classes.map((name) => {
    const li = document.createElement("li");
    li.innerHTML =
      `<span class="name"></span><span class="track"><span class="fill"></span></span>` +
      `<span class="pct">–</span>`;
    li.querySelector(".name").textContent = name;
    return li;
  }));
}

/** Shows one answer: `probabilities`, how long it took, and the model's input (0..1 floats). */
function showResult({ probabilities: probs, timeMs, input, where }) {
  const best = probs.indexOf(Math.max(...probs));
  const confidence = probs[best];
  const sure = confidence >= SURE_THRESHOLD;
  digitEl.textContent = classes[best] ?? String(best);
  digitEl.dataset.state = sure ? "ready" : "unsure";
  confEl.textContent = sure
    ? `${_sure(confidence)} sure`
    : `not sure (best guess ${(confidence * 100).toFixed(1)}%)`;
  [...bars.children].forEach((li, i) => {
    li.classList.toggle("top", i === best);
    li.querySelector(".fill").style.width = `${(probs[i] * 100).toFixed(1)}%`;
    li.querySelector(".pct").textContent = `${(probs[i] * 100).toFixed(1)}%`;
  });
  statusEl.classList.remove("error");
  statusEl.textContent = `${where} in ${timeMs.toFixed(1)} ms`;
  if (input) drawSeen(input);
  // For tests and the curious: the exact numbers behind the bars.
  globalThis.digitsLast = {
    mode,
    probabilities: Array.from(probs),
    input: Array.from(input ?? []),
  };
}

/** A confidence as a percentage; "over 99.9%" rather than a rounded, overclaiming "100.0%". */
function _sure(p) {
  return p >= 0.9995 ? "over 99.9%" : `${(p * 100).toFixed(1)}%`;
}

function drawSeen(pixels) {
  const side = Math.round(Math.sqrt(pixels.length));
  seen.width = side;
  seen.height = side;
  const sctx = seen.getContext("2d");
  const img = sctx.createImageData(side, side);
  pixels.forEach((v, i) => {
    const g = Math.round(v * 255);
    img.data.set([g, g, g, 255], i * 4);
  });
  sctx.putImageData(img, 0, 0);
}

function clearResult() {
  digitEl.textContent = "?";
  digitEl.dataset.state = "empty";
  confEl.innerHTML = "&nbsp;";
  statusEl.innerHTML = "&nbsp;";
  seen.getContext("2d").clearRect(0, 0, seen.width, seen.height);
  globalThis.digitsLast = undefined;
  buildBars();
}

function showError(message) {
  statusEl.textContent = message;
  statusEl.classList.add("error");
}

/** POST predict on the server; the answer with the server's view of the input in 0..1. */
async function askServer(body, type) {
  const res = await fetch("predict", {
    method: "POST",
    headers: { "content-type": type, ...authHeaders },
    body,
  });
  const json = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  const input = Array.isArray(json.input) ? json.input.map((v) => v / 255) : undefined;
  return {
    probabilities: json.probabilities,
    timeMs: json.timeMs,
    input,
    where: "the server answered",
  };
}

/** Runs the model in this browser on RGBA pixels (a canvas's ImageData). */
async function askBrowser(image) {
  const started = performance.now();
  const model = await ensureBrowserModel();
  const [h, w] = inputShape;
  const x = mnistInput(toGray(image.data, image.width, image.height, 4, 255), h, w);
  if (x === null) throw new Error("the image is blank: no ink stands out from the background");
  const probabilities = await model.predict(x);
  const timeMs = performance.now() - started;
  return { probabilities, timeMs, input: x, where: `this browser (${model.backend}) answered` };
}

function ensureBrowserModel() {
  browserModel ??= loadBrowserModel(
    modelIndex,
    new URL("model/", document.baseURI).href,
    authHeaders,
  )
    .catch((err) => {
      browserModel = null;
      throw new Error(`cannot load the model into this browser: ${err.message}`);
    });
  return browserModel;
}

// data-busy on <body> is "true" while a prediction is due or running (tests wait on it).
function setBusy(busy) {
  document.body.dataset.busy = String(busy);
}

async function predictDrawing() {
  if (!dirty) return setBusy(false);
  if (inFlight) {
    pending = true;
    return;
  }
  inFlight = true;
  try {
    if (mode === "browser") {
      showResult(await askBrowser(ctx.getImageData(0, 0, pad.width, pad.height)));
    } else {
      const blob = await new Promise((resolve) => pad.toBlob(resolve, "image/png"));
      showResult(await askServer(blob, "image/png"));
    }
  } catch (err) {
    showError(err.message);
  } finally {
    inFlight = false;
    if (pending) {
      pending = false;
      schedule(0);
    } else if (!timer) {
      setBusy(false);
    }
  }
}

/** Predicts after `delay` ms; in this browser there is no round trip to save, so no debounce. */
function schedule(delay = mode === "browser" ? 0 : DEBOUNCE_MS) {
  clearTimeout(timer);
  setBusy(true);
  timer = setTimeout(() => {
    timer = 0;
    predictDrawing();
  }, delay);
}

function point(e) {
  const r = pad.getBoundingClientRect();
  return {
    x: (e.clientX - r.left) * (pad.width / r.width),
    y: (e.clientY - r.top) * (pad.height / r.height),
  };
}

pad.addEventListener("pointerdown", (e) => {
  e.preventDefault();
  pad.setPointerCapture(e.pointerId);
  drawing = true;
  last = point(e);
  ctx.beginPath();
  ctx.arc(last.x, last.y, ctx.lineWidth / 2, 0, Math.PI * 2);
  ctx.fill();
  dirty = true;
  hint.classList.add("hidden");
  schedule();
});
pad.addEventListener("pointermove", (e) => {
  if (!drawing) return;
  const p = point(e);
  ctx.beginPath();
  ctx.moveTo(last.x, last.y);
  ctx.lineTo(p.x, p.y);
  ctx.stroke();
  last = p;
  schedule();
});
for (const type of ["pointerup", "pointercancel"]) {
  pad.addEventListener(type, () => {
    if (!drawing) return;
    drawing = false;
    schedule(0);
  });
}

document.getElementById("clear").addEventListener("click", () => {
  clearTimeout(timer);
  timer = 0;
  resetPad();
  clearResult();
  setBusy(false);
});

document.getElementById("upload").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  e.target.value = "";
  if (!file) return;
  setBusy(true);
  try {
    // Show the upload on the pad; the model reads the original pixels (here, or on the server
    // from the original bytes), made MNIST-like the same way.
    const bitmap = await createImageBitmap(file);
    resetPad();
    const scale = Math.min(pad.width / bitmap.width, pad.height / bitmap.height);
    const w = bitmap.width * scale, h = bitmap.height * scale;
    ctx.drawImage(bitmap, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
    hint.classList.add("hidden");
    showResult(
      mode === "browser"
        ? await askBrowser(_pixelsOf(bitmap))
        : await askServer(file, file.type || "image/png"),
    );
  } catch (err) {
    showError(err.message);
  } finally {
    setBusy(false);
  }
});

/** The RGBA pixels of a bitmap, at most MAX_UPLOAD_SIDE on its longer side. */
function _pixelsOf(bitmap) {
  const scale = Math.min(1, MAX_UPLOAD_SIDE / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(w, h);
  const c = canvas.getContext("2d", { willReadFrequently: true });
  c.drawImage(bitmap, 0, 0, w, h);
  return c.getImageData(0, 0, w, h);
}

/** Switches mode, remembers it, and re-predicts the drawing in the new mode. */
async function setMode(next) {
  mode = next;
  for (const input of modeEl.querySelectorAll("input")) input.checked = input.value === next;
  try {
    localStorage.setItem("digits.mode", next);
  } catch {
    // Storage may be off (private windows); the switch still works for this visit.
  }
  if (next === "browser") {
    setBusy(true);
    statusEl.classList.remove("error");
    statusEl.textContent = "loading the model into this browser…";
    try {
      const model = await ensureBrowserModel();
      statusEl.textContent = `model loaded in this browser (${model.backend})`;
    } catch (err) {
      showError(err.message);
    }
  }
  if (dirty) schedule(0);
  else setBusy(false);
}

modeEl.addEventListener("change", (e) => setMode(e.target.value));

/** Reads model/index.json (for in-browser mode) and the server's metadata, then picks the mode. */
async function loadModelFacts() {
  modelIndex = await fetch("model/index.json", { headers: authHeaders })
    .then((res) => (res.ok ? res.json() : null))
    .catch(() => null);
  const hasServer = modelIndex === null || modelIndex.server !== false;
  let facts = null;
  if (hasServer) {
    try {
      const res = await fetch("v1/models/digits/metadata", { headers: authHeaders });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      facts = (await res.json()).digits;
    } catch (err) {
      if (modelIndex === null) {
        modelEl.textContent = `model facts unavailable (${err.message})`;
        return;
      }
    }
  }
  const about = facts ?? modelIndex;
  classes = about.classes;
  inputShape = about.inputShape;
  buildBars();
  showFooter(about, facts);
  setupModes(hasServer);
}

function showFooter(about, facts) {
  const m = facts ? facts.metrics?.best ?? facts.metrics?.final ?? {} : {};
  const acc = facts ? m.val_acc ?? m.acc : modelIndex.valAcc;
  const calibration = facts ? facts.calibration : modelIndex.calibration;
  const t = calibration?.temperature;
  modelEl.textContent = `model: ${about.architecture}` +
    (modelIndex && modelIndex.members.length > 1
      ? ` (ensemble of ${modelIndex.members.length})`
      : "") +
    (acc != null ? ` · validation accuracy ${(acc * 100).toFixed(2)}%` : "") +
    ` · input ${about.inputShape.slice(0, 2).join("×")}` +
    (t !== undefined ? ` · calibrated (temperature ${t.toFixed(2)})` : " · not calibrated") +
    (facts?.servedOn ? ` · server backend ${facts.servedOn.name}` : "");
}

/** Shows the switch when both modes are possible; otherwise the one mode there is. */
function setupModes(hasServer) {
  const canBrowser = modelIndex !== null;
  modeEl.hidden = !(hasServer && canBrowser);
  document.getElementById("local-note").hidden = hasServer;
  let stored = null;
  try {
    stored = localStorage.getItem("digits.mode");
  } catch {
    // no storage: use the default
  }
  const wanted = options.get("mode") ?? stored ?? "server";
  const next = !hasServer
    ? "browser"
    : !canBrowser
    ? "server"
    : wanted === "browser"
    ? "browser"
    : "server";
  setMode(next);
}

thresholdEl.textContent = `Below ${(SURE_THRESHOLD * 100).toFixed(0)}% it says “not sure”.`;
resetPad();
buildBars();
setBusy(true);
loadModelFacts().catch((err) => showError(err.message));
