#!/usr/bin/env bash
# Consumer smoke test: build the construct library, `npm pack` it, install the tarball into a
# fresh project outside the repository (with the peer dependencies a consumer would add), and
# synthesize tools/consumer-smoke/app.js there with assertions. npm gets no stdin: with a terminal
# attached, npm 11 waits on it after the install-scripts notice.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/consumer-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "consumer smoke: building and packing the library"
(cd "$root" && npx tsc -p constructs/tsconfig.json)
tarball="$(cd "$root/constructs" && npm pack --silent --pack-destination "$work" | tail -1)"
tar -tzf "$work/$tarball" > "$work/contents.txt"
grep -q "^package/dist/constructs/index.d.ts$" "$work/contents.txt"
echo "consumer smoke: $(wc -l < "$work/contents.txt") files in $tarball"
leaked="$(grep -E '(\.ts$|__tests__|\.test\.)' "$work/contents.txt" | grep -v '\.d\.ts$' || true)"
if [ -n "$leaked" ]; then
  echo "consumer smoke: the tarball ships sources or tests:" >&2; echo "$leaked" >&2; exit 1
fi

echo "consumer smoke: installing $tarball into $work/app"
mkdir -p "$work/app"
cd "$work/app"
npm init -y >/dev/null
versions() { node -p "require('$root/node_modules/$1/package.json').version"; }
npm install --prefer-offline --no-audit --no-fund --loglevel=error \
  "$work/$tarball" \
  "cdktf@$(versions cdktf)" "constructs@$(versions constructs)" \
  "@cdktf/provider-aws@$(versions @cdktf/provider-aws)" \
  "@cdktf/provider-kubernetes@$(versions @cdktf/provider-kubernetes)" </dev/null
cp "$root/tools/consumer-smoke/app.js" .
node app.js "$work/app/cdktf.out"
