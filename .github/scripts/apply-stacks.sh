#!/usr/bin/env bash
# Apply the saved, reviewed plans of one environment, in dependency order, then re-plan each stack.
# Usage: apply-stacks.sh <environment> (run from the downloaded plan artifact's root)
# terraform refuses a saved plan whose state changed since it was made ("Saved plan is stale"):
# re-run the pull request's plan then. A non-empty re-plan after apply means a stack read outputs
# that this apply changed: the job fails so a follow-up pull request plans it.
set -euo pipefail
env_name="$1"
drift=0
for stack in $(node "$GITHUB_WORKSPACE/dist/tools/stack-order.js" cdktf.out "$env_name"); do
  dir="cdktf.out/stacks/$stack"
  if [ ! -f "$dir/tfplan" ]; then
    echo "::notice title=${stack}::no saved plan (bootstrap stack with local state)"
    continue
  fi
  echo "::group::apply $stack"
  terraform -chdir="$dir" init -input=false -no-color
  terraform -chdir="$dir" apply -input=false -no-color -lock-timeout=10m tfplan
  status=0
  terraform -chdir="$dir" plan -input=false -no-color -lock-timeout=10m -detailed-exitcode > /dev/null || status=$?
  echo "::endgroup::"
  if [ "$status" -ne 0 ]; then
    echo "::error title=${stack}::plan after apply is not empty (exit $status): open a follow-up pull request"
    drift=1
  fi
done
exit "$drift"
