#!/bin/sh
# `sh tools/with-snapshot.sh dist/tools/<name>.js [args]`: tools/build.mjs (build, then run the
# script), started from the dependency snapshot when one exists (tools/dependency-snapshot.mjs:
# cdktf and the providers already loaded, about 0.3 s less per run). build.mjs checks that the
# snapshot matches what is installed, turns it off if not, and builds a current one for the next
# run at the path given here (INFRA_SNAPSHOT_BLOB).
#
# One snapshot per NODE_OPTIONS: node refuses a snapshot built under other heap flags (cdktf-cli,
# for one, starts the app with NODE_OPTIONS=--max-old-space-size=...). A snapshot node cannot load
# at all (built by another node version, after an upgrade) ends node with exit code 14 before any
# JavaScript runs: then it is removed and the command runs without it, building a new one. No tool
# of this project exits 14. INFRA_NO_SNAPSHOT=1 runs without a snapshot; INFRA_SNAPSHOT_DIR moves it.
dir=${INFRA_SNAPSHOT_DIR:-node_modules/.cache/infra-deps-snapshot}
if [ -n "${NODE_OPTIONS:-}" ]; then
  blob=$dir/deps-$(printf '%s' "$NODE_OPTIONS" | cksum | cut -d ' ' -f 1).blob
else
  blob=$dir/deps.blob
fi
export INFRA_SNAPSHOT_BLOB="$blob"
if [ -f "$blob" ] && [ "${INFRA_NO_SNAPSHOT:-}" != 1 ]; then
  node --snapshot-blob "$blob" tools/build.mjs "$@"
  code=$?
  [ "$code" -ne 14 ] && exit "$code"
  echo "with-snapshot: node could not start from $blob (built by another node version?); removed it, running without" >&2
  rm -f "$blob"
fi
exec node tools/build.mjs "$@"
