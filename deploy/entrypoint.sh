#!/bin/sh
# Container entry point: `deno task "$@"`. For `serve`, the bearer token comes from the
# DIGITS_TOKEN environment variable (a Kubernetes Secret, or `docker run -e`), so it is neither
# baked into the image nor written in a manifest; the server refuses a non-loopback address
# without one. exec hands the process (and SIGTERM) to deno task, which passes it on.
set -eu
if [ "${1:-}" = "serve" ] && [ -n "${DIGITS_TOKEN:-}" ]; then
  set -- "$@" --token "$DIGITS_TOKEN"
fi
exec deno task "$@"
