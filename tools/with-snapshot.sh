#!/bin/sh
# `sh tools/with-snapshot.sh dist/tools/<name>.js [args]`: tools/build.mjs (build, then run the
# script), started from the dependency snapshot when one exists (tools/dependency-snapshot.mjs:
# cdktf and the providers already loaded, about 0.3 s less per run). build.mjs checks that the
# snapshot matches what is installed, turns it off if not, and builds a current one for the next
# run at the path chosen here (INFRA_SNAPSHOT_BLOB).
#
# Node loads a snapshot only when it runs the same node binary and the same heap flags as when it
# was built (otherwise it stops with exit code 14 before any JavaScript runs; cdktf-cli, for one,
# starts the app with NODE_OPTIONS=--max-old-space-size=...). So the blob's name says which node
# binary (path, size, date) and which NODE_OPTIONS it was built for: a node upgrade or another
# NODE_OPTIONS finds no blob, runs without and builds its own, and this script can exec node (its
# signals and stdin stay node's own). INFRA_NO_SNAPSHOT=1 runs without a snapshot;
# INFRA_SNAPSHOT_DIR moves the snapshots (use a folder only you can write: a blob is code).
dir=${INFRA_SNAPSHOT_DIR:-node_modules/.cache/infra-deps-snapshot}
node_bin=$(command -v node) || node_bin=node
id=$(printf '%s\n%s\n' "${NODE_OPTIONS:-}" "$(LC_ALL=C ls -lL "$node_bin" 2>/dev/null)" | cksum | cut -d ' ' -f 1)
export INFRA_SNAPSHOT_BLOB="$dir/deps-$id.blob"
# `--print-blob`: only say which blob this would start from, and for which node (vitest.config.mts
# asks, for its workers).
if [ "${1:-}" = --print-blob ]; then
  printf '%s\n%s\n' "$INFRA_SNAPSHOT_BLOB" "$node_bin"
  exit 0
fi
if [ -f "$INFRA_SNAPSHOT_BLOB" ] && [ "${INFRA_NO_SNAPSHOT:-}" != 1 ]; then
  exec node --snapshot-blob "$INFRA_SNAPSHOT_BLOB" tools/build.mjs "$@"
fi
exec node tools/build.mjs "$@"
