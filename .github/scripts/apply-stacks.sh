#!/usr/bin/env bash
# Apply one environment in dependency order, each stack only as reviewed.
# Usage: apply-stacks.sh <environment> <dir with the reviewed redacted plans, <stack>.json>
# Per stack: re-plan under the state lock with the apply identity, redact it, and compare its change
# set with the reviewed one (plan-verify); apply that re-plan only when they match, else stop and
# name the resources that differ. Then re-plan once more: a non-empty plan after apply means a stack
# read outputs this apply changed, and the job fails so a follow-up pull request plans it.
# The binary plan and unredacted JSON stay in $RUNNER_TEMP and are deleted; nothing is uploaded.
# A re-plan that deletes or replaces statefully is applied only if the pull request's destroy-approved
# label still counts (destroy-approved.sh; env PULL_REQUEST, PLAN_RUN_ID, GH_TOKEN).
# Plan and apply console output goes to a 0600 file in the scratch dir, never to the job log (it
# prints unmarked copies of sensitive values in clear): the log gets the exit status, the summary
# of the redacted re-plan and, on failure, only the error diagnostics (redacted-plan.sh).
set -euo pipefail
env_name="$1"
reviewed="$2"
scratch="$(mktemp -d "${RUNNER_TEMP:-/tmp}/apply.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
# shellcheck source=.github/scripts/redacted-plan.sh
source "$(dirname "${BASH_SOURCE[0]}")/redacted-plan.sh"
drift=0
remote_state_stacks "$env_name" "applied by hand"
for stack in "${STACKS[@]}"; do
  dir="cdktf.out/stacks/$stack"
  plan_redacted "$stack" "$scratch/replan.json" -lock-timeout=10m
  status="$PLAN_STATUS"
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
    # A verified re-plan that deletes or replaces statefully needs a destroy approval that still
    # counts now (not only the destroy-gate status seen at merge time).
    destroys=0
    node dist/tools/plan-summary.js --fail-on-destroy --stack "$stack=$scratch/replan.json" > /dev/null || destroys=$?
    if [ "$destroys" -ne 0 ]; then
      approval=0
      decision="$(.github/scripts/destroy-approved.sh)" || approval=$?
      if [ "$approval" -ne 0 ]; then
        echo "::error title=${stack}::the re-plan deletes or replaces resources and the destroy approval of pull request #${PULL_REQUEST:-?} does not count (${decision}): nothing applied from here on"
        exit 1
      fi
      echo "destructive re-plan of $stack: pull request #${PULL_REQUEST} ${decision}"
    fi
    applied=0
    (umask 077 && terraform -chdir="$dir" apply -input=false -no-color -lock-timeout=10m "$scratch/tfplan" > "$scratch/console.log" 2>&1) || applied=$?
    echo "terraform apply $stack: exit $applied"
    if [ "$applied" -ne 0 ]; then
      tf_errors "$scratch/console.log"
      echo "::error title=${stack}::terraform apply failed"
      exit 1
    fi
  fi
  rm -f "$scratch/tfplan"
  after=0
  (umask 077 && terraform -chdir="$dir" plan -input=false -no-color -lock-timeout=10m -detailed-exitcode > "$scratch/console.log" 2>&1) || after=$?
  echo "terraform plan after apply $stack: exit $after"
  if [ "$after" -eq 1 ]; then tf_errors "$scratch/console.log"; fi
  rm -f "$scratch/console.log"
  if [ "$after" -ne 0 ]; then
    echo "::error title=${stack}::plan after apply is not empty (exit $after): open a follow-up pull request"
    drift=1
  fi
done
exit "$drift"
