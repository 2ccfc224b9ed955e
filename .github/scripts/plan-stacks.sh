#!/usr/bin/env bash
# Plan every stack of one environment from a synthesized cdktf.out, in dependency order.
# Usage: plan-stacks.sh <environment, e.g. test-aws> <output dir>
# Writes <output dir>/<stack>.json (terraform show -json) and leaves the saved plan as
# cdktf.out/stacks/<stack>/tfplan for the apply workflow. Stacks with local state (the bootstrap
# stacks that create the state storage) are planned and applied by hand: see README, Bootstrap.
set -euo pipefail
env_name="$1"
out="$2"
mkdir -p "$out"
for stack in $(node dist/tools/stack-order.js cdktf.out "$env_name"); do
  dir="cdktf.out/stacks/$stack"
  if jq -e '.terraform.backend.local' "$dir/cdk.tf.json" > /dev/null; then
    echo "::notice title=${stack}::bootstrap stack with local state, not planned in CI"
    continue
  fi
  echo "::group::plan $stack"
  terraform -chdir="$dir" init -input=false -no-color
  status=0
  terraform -chdir="$dir" plan -input=false -no-color -lock-timeout=5m -detailed-exitcode -out=tfplan || status=$?
  echo "::endgroup::"
  if [ "$status" -eq 1 ]; then
    echo "::error title=${stack}::terraform plan failed"
    exit 1
  fi
  terraform -chdir="$dir" show -json tfplan > "$out/$stack.json"
  echo "$stack $status" >> "$out/exit-codes.txt"
done
