#!/usr/bin/env bash
# Plan every stack of one environment from a synthesized cdktf.out, in dependency order, with the
# read-only plan identity. Usage: plan-stacks.sh <environment, e.g. test-aws> <output dir>
# Writes <output dir>/<stack>.json, the plan JSON redacted by plan-redact, and exit-codes.txt.
# The binary plan and the unredacted JSON never leave $RUNNER_TEMP and are deleted at once.
# -lock=false: a plan only reads state, and the plan identity cannot write the lock (S3 lock file,
# azurerm blob lease) anyway. A plan made while an apply runs may be stale; that is harmless here,
# because nothing applies this plan: the apply job re-plans under the lock and refuses to apply
# unless that re-plan's change set equals the reviewed one (plan-verify).
# Stacks with local state (the bootstrap stacks that create the state storage) are planned and
# applied by hand: see README, Bootstrap.
set -euo pipefail
env_name="$1"
out="$2"
mkdir -p "$out"
scratch="$(mktemp -d "${RUNNER_TEMP:-/tmp}/plan.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
for stack in $(node dist/tools/stack-order.js cdktf.out "$env_name"); do
  dir="cdktf.out/stacks/$stack"
  if jq -e '.terraform.backend.local' "$dir/cdk.tf.json" > /dev/null; then
    echo "::notice title=${stack}::bootstrap stack with local state, not planned in CI"
    continue
  fi
  echo "::group::plan $stack"
  terraform -chdir="$dir" init -input=false -no-color
  status=0
  terraform -chdir="$dir" plan -input=false -no-color -lock=false -detailed-exitcode -out="$scratch/tfplan" || status=$?
  echo "::endgroup::"
  if [ "$status" -eq 1 ]; then
    echo "::error title=${stack}::terraform plan failed"
    exit 1
  fi
  (umask 077 && terraform -chdir="$dir" show -json "$scratch/tfplan" > "$scratch/plan.json")
  node dist/tools/plan-redact.js "$scratch/plan.json" > "$out/$stack.json"
  rm -f "$scratch/tfplan" "$scratch/plan.json"
  echo "$stack $status" >> "$out/exit-codes.txt"
done
