#!/usr/bin/env bash
# Plan every stack of one environment from a synthesized cdktf.out, in dependency order, with the
# read-only plan identity. Usage: plan-stacks.sh <environment, e.g. test-aws> <output dir>
# Writes <output dir>/<stack>.json, the plan JSON redacted by plan-redact, and exit-codes.txt.
# The binary plan and the unredacted JSON never leave $RUNNER_TEMP and are deleted at once; the
# console output never reaches the job log (redacted-plan.sh).
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
# shellcheck source=.github/scripts/redacted-plan.sh
source "$(dirname "${BASH_SOURCE[0]}")/redacted-plan.sh"
remote_state_stacks "$env_name" "not planned in CI"
for stack in "${STACKS[@]}"; do
  plan_redacted "$stack" "$out/$stack.json" -lock=false
  rm -f "$scratch/tfplan"
  echo "$stack $PLAN_STATUS" >> "$out/exit-codes.txt"
done
