// The draw-a-digit page: pointer-event drawing, debounced predictions from POST /predict,
// a bar chart of the ten probabilities, a clear button and an image upload. No dependencies.
const pad = document.getElementById("pad");
const ctx = pad.getContext("2d");
const seen = document.getElementById("seen");
const hint = document.getElementById("hint");
const digitEl = document.getElementById("digit");
const confEl = document.getElementById("confidence");
const bars = document.getElementById("bars");
const statusEl = document.getElementById("status");
const modelEl = document.getElementById("model");
const DEBOUNCE_MS = 120;

// A token given as #token=... is sent as a bearer token (for a server bound beyond loopback).
const token = new URLSearchParams(location.hash.slice(1)).get("token");
const authHeaders = token ? { authorization: `Bearer ${token}` } : {};

let classes = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
let drawing = false;
let dirty = false;
let last = null;
let timer = 0;
let inFlight = false;
let pending = false;

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

function showResult(result) {
  const probs = result.probabilities;
  const best = probs.indexOf(Math.max(...probs));
  digitEl.textContent = result.label;
  digitEl.dataset.state = "ready";
  confEl.textContent = `${(result.confidence * 100).toFixed(1)}% sure`;
  [...bars.children].forEach((li, i) => {
    li.classList.toggle("top", i === best);
    li.querySelector(".fill").style.width = `${(probs[i] * 100).toFixed(1)}%`;
    li.querySelector(".pct").textContent = `${(probs[i] * 100).toFixed(1)}%`;
  });
  statusEl.classList.remove("error");
  statusEl.textContent = `answered in ${result.timeMs.toFixed(1)} ms`;
  if (Array.isArray(result.input)) drawSeen(result.input);
}

function drawSeen(pixels) {
  const side = Math.round(Math.sqrt(pixels.length));
  seen.width = side;
  seen.height = side;
  const sctx = seen.getContext("2d");
  const img = sctx.createImageData(side, side);
  pixels.forEach((v, i) => img.data.set([v, v, v, 255], i * 4));
  sctx.putImageData(img, 0, 0);
}

function clearResult() {
  digitEl.textContent = "?";
  digitEl.dataset.state = "empty";
  confEl.innerHTML = "&nbsp;";
  statusEl.innerHTML = "&nbsp;";
  seen.getContext("2d").clearRect(0, 0, seen.width, seen.height);
  buildBars();
}

function showError(message) {
  statusEl.textContent = message;
  statusEl.classList.add("error");
}

async function send(body, type) {
  const res = await fetch("/predict", {
    method: "POST",
    headers: { "content-type": type, ...authHeaders },
    body,
  });
  const json = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  return json;
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
    const blob = await new Promise((resolve) => pad.toBlob(resolve, "image/png"));
    showResult(await send(blob, "image/png"));
  } catch (err) {
    showError(err.message);
  } finally {
    inFlight = false;
    if (pending) {
      pending = false;
      schedule();
    } else if (!timer) {
      setBusy(false);
    }
  }
}

function schedule(delay = DEBOUNCE_MS) {
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
});

document.getElementById("upload").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  e.target.value = "";
  if (!file) return;
  try {
    // Show the upload on the pad, then let the server make it MNIST-like from the original bytes.
    const bitmap = await createImageBitmap(file);
    resetPad();
    const scale = Math.min(pad.width / bitmap.width, pad.height / bitmap.height);
    const w = bitmap.width * scale, h = bitmap.height * scale;
    ctx.drawImage(bitmap, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
    hint.classList.add("hidden");
    showResult(await send(file, file.type || "image/png"));
  } catch (err) {
    showError(err.message);
  }
});

async function loadModelFacts() {
  try {
    const res = await fetch("/v1/models/digits/metadata", { headers: authHeaders });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const facts = (await res.json()).digits;
    classes = facts.classes;
    buildBars();
    const m = facts.metrics?.best ?? facts.metrics?.final ?? {};
    const acc = m.val_acc ?? m.acc;
    modelEl.textContent = `model: ${facts.architecture}` +
      (acc !== undefined ? ` · validation accuracy ${(acc * 100).toFixed(2)}%` : "") +
      ` · input ${facts.inputShape.slice(0, 2).join("×")}` +
      (facts.servedOn ? ` · backend ${facts.servedOn.name}` : "");
  } catch (err) {
    modelEl.textContent = `model facts unavailable (${err.message})`;
  }
}

resetPad();
buildBars();
loadModelFacts();
