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
# The plan's console output never reaches the job log, which every reader of the repository sees:
# the aws provider copies sensitive values into unmarked attributes (tags_all...), which the
# console prints in clear. It goes to a 0600 file in the scratch dir (deleted on exit); the log
# gets terraform's exit status, the summary of the redacted plan and, on failure, only the error
# diagnostics (docs/ci-security.md, "Terraform console output stays out of the logs").
set -euo pipefail
env_name="$1"
out="$2"
mkdir -p "$out"
scratch="$(mktemp -d "${RUNNER_TEMP:-/tmp}/plan.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
# Print only terraform's error diagnostics of a console log: from the first "Error:" line on.
tf_errors() { awk '/^(│ )?Error: /{on=1} on' "$1"; }
for stack in $(node dist/tools/stack-order.js cdktf.out "$env_name"); do
  dir="cdktf.out/stacks/$stack"
  if jq -e '.terraform.backend.local' "$dir/cdk.tf.json" > /dev/null; then
    echo "::notice title=${stack}::bootstrap stack with local state, not planned in CI"
    continue
  fi
  echo "::group::plan $stack"
  terraform -chdir="$dir" init -input=false -no-color
  status=0
  (umask 077 && terraform -chdir="$dir" plan -input=false -no-color -lock=false -detailed-exitcode -out="$scratch/tfplan" > "$scratch/console.log" 2>&1) || status=$?
  echo "terraform plan $stack: exit $status"
  echo "::endgroup::"
  if [ "$status" -eq 1 ]; then
    tf_errors "$scratch/console.log"
    echo "::error title=${stack}::terraform plan failed"
    exit 1
  fi
  (umask 077 && terraform -chdir="$dir" show -json "$scratch/tfplan" > "$scratch/plan.json")
  node dist/tools/plan-redact.js "$scratch/plan.json" > "$out/$stack.json"
  rm -f "$scratch/tfplan" "$scratch/plan.json" "$scratch/console.log"
  node dist/tools/plan-summary.js --stack "$stack=$out/$stack.json" || echo "::warning title=${stack}::no plan summary"
  echo "$stack $status" >> "$out/exit-codes.txt"
done
