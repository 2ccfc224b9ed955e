#!/usr/bin/env bash
# Apply one environment in dependency order, each stack only as reviewed.
# Usage: apply-stacks.sh <environment> <dir with the reviewed redacted plans, <stack>.json>
# Per stack: re-plan under the state lock with the apply identity, redact it, and compare its change
# set with the reviewed one (plan-verify); apply that re-plan only when they match, else stop and
# name the resources that differ. Then re-plan once more: a non-empty plan after apply means a stack
# read outputs this apply changed, and the job fails so a follow-up pull request plans it.
# The binary plan and unredacted JSON stay in $RUNNER_TEMP and are deleted; nothing is uploaded.
# After the VPN stack, the site-to-site pre-shared keys are set from Key Vault (never via terraform).
set -euo pipefail
env_name="$1"
reviewed="$2"
scratch="$(mktemp -d "${RUNNER_TEMP:-/tmp}/apply.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
drift=0
for stack in $(node dist/tools/stack-order.js cdktf.out "$env_name"); do
  dir="cdktf.out/stacks/$stack"
  if jq -e '.terraform.backend.local' "$dir/cdk.tf.json" > /dev/null; then
    echo "::notice title=${stack}::bootstrap stack with local state, applied by hand"
    continue
  fi
  echo "::group::re-plan $stack"
  terraform -chdir="$dir" init -input=false -no-color
  status=0
  terraform -chdir="$dir" plan -input=false -no-color -lock-timeout=10m -detailed-exitcode -out="$scratch/tfplan" || status=$?
  echo "::endgroup::"
  if [ "$status" -eq 1 ]; then
    echo "::error title=${stack}::terraform plan failed"
    exit 1
  fi
  (umask 077 && terraform -chdir="$dir" show -json "$scratch/tfplan" > "$scratch/plan.json")
  node dist/tools/plan-redact.js "$scratch/plan.json" > "$scratch/replan.json"
  # An empty re-plan applies nothing (e.g. a re-run after a successful apply): nothing to verify.
  if [ "$status" -eq 2 ]; then
    if [ ! -f "$reviewed/$stack.json" ]; then
      echo "::error title=${stack}::the re-plan changes resources but no reviewed plan exists for this stack"
      exit 1
    fi
    if ! node dist/tools/plan-verify.js "$reviewed/$stack.json" "$scratch/replan.json"; then
      echo "::error title=${stack}::the re-plan is not the reviewed plan: nothing applied from here on"
      exit 1
    fi
    echo "::group::apply $stack"
    terraform -chdir="$dir" apply -input=false -no-color -lock-timeout=10m "$scratch/tfplan"
    echo "::endgroup::"
  fi
  rm -f "$scratch/tfplan" "$scratch/plan.json"
  if [[ "$stack" == *-azure-vpn ]]; then
    .github/scripts/set-vpn-shared-keys.sh "$dir"
  fi
  after=0
  terraform -chdir="$dir" plan -input=false -no-color -lock-timeout=10m -detailed-exitcode > /dev/null || after=$?
  if [ "$after" -ne 0 ]; then
    echo "::error title=${stack}::plan after apply is not empty (exit $after): open a follow-up pull request"
    drift=1
  fi
done
exit "$drift"
