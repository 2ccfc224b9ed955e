#!/usr/bin/env bash
# Consumer smoke test: `npm pack` the construct library (its prepack builds it and prebuilds the
# EBS reaper's Lambda), install the tarball into a fresh project outside the repository with only
# the peer dependencies a consumer adds, compile tools/consumer-smoke/app.ts there with the
# tsconfig `cdktf init` generates (module commonjs, classic node resolution) and with node16
# resolution, then synthesize it with assertions. npm gets no stdin: with a terminal attached,
# npm 11 waits on it after the install-scripts notice.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/consumer-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "consumer smoke: packing the library (prepack builds it)"
tarball="$(cd "$root/constructs" && npm pack --silent --pack-destination "$work" </dev/null | tail -1)"
tar -tzf "$work/$tarball" > "$work/contents.txt"
for required in package/dist/constructs/index.d.ts package/dist/constructs/aws/index.d.ts package/dist/lambdas/ebs-reaper/handler.js.zip; do
  grep -qx "$required" "$work/contents.txt" || { echo "consumer smoke: $required is missing from $tarball" >&2; exit 1; }
done
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
  "@cdktf/provider-kubernetes@$(versions @cdktf/provider-kubernetes)" \
  "typescript@$(versions typescript)" "@types/node@$(versions @types/node)" </dev/null
for absent in esbuild @aws-sdk; do
  if [ -e "node_modules/$absent" ]; then echo "consumer smoke: installing the library pulled in $absent, which consumers must not need" >&2; exit 1; fi
done

# The compilerOptions `cdktf init --template=typescript` writes (cdktf 0.21).
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "alwaysStrict": true, "declaration": true, "experimentalDecorators": true, "inlineSourceMap": true,
    "inlineSources": true, "lib": ["es2018"], "module": "CommonJS", "noEmitOnError": true,
    "noFallthroughCasesInSwitch": true, "noImplicitAny": true, "noImplicitReturns": true,
    "noImplicitThis": true, "noUnusedLocals": true, "noUnusedParameters": true, "resolveJsonModule": true,
    "strict": true, "strictNullChecks": true, "strictPropertyInitialization": true, "stripInternal": true,
    "target": "ES2018", "incremental": true, "skipLibCheck": true
  },
  "include": ["**/*.ts"],
  "exclude": ["node_modules", "cdktf.out"]
}
JSON
cp "$root/tools/consumer-smoke/app.ts" .
npx tsc -p tsconfig.json
echo "consumer smoke: app.ts compiles with the cdktf init tsconfig (module commonjs, classic node resolution)"
npx tsc -p tsconfig.json --noEmit --incremental false --module node16 --moduleResolution node16
npx tsc -p tsconfig.json --noEmit --incremental false --module esnext --moduleResolution bundler
echo "consumer smoke: and with node16 and bundler resolution (package exports)"
node app.js "$work/app/cdktf.out"
