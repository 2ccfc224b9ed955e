# Sourced by plan-stacks.sh and apply-stacks.sh (not run on its own): the one place that plans a
# stack, keeps terraform's console out of the job log, and turns the binary plan into redacted JSON.
#
# The job log is readable by everyone who can read the repository. The human-readable plan prints
# sensitive values the provider copied into unmarked attributes (tags_all...) in clear, so terraform's
# stdout and stderr go to a 0600 file in the caller's scratch dir; the log gets the exit status, the
# summary of the redacted plan and, on failure, only the error diagnostics
# (docs/ci-security.md, "Terraform console output stays out of the logs").
#
# The caller sets `scratch` to a private mktemp -d dir it removes on exit.

# Print only terraform's error diagnostics of a console log: from the first "Error:" line on.
tf_errors() { awk '/^(│ )?Error: /{on=1} on' "$1"; }

# Set STACKS to the stacks of an environment in dependency order, except those with local state
# (the bootstrap stacks that create the state storage and the CI identities), each of which gets a
# notice saying why. A failing stack-order stops the calling script.
# Usage: remote_state_stacks <environment> <why local-state stacks are skipped>
remote_state_stacks() {
  local order stack
  order="$(node dist/tools/stack-order.js cdktf.out "$1")"
  STACKS=()
  for stack in $order; do
    if jq -e '.terraform.backend.local' "cdktf.out/stacks/$stack/cdk.tf.json" > /dev/null; then
      echo "::notice title=${stack}::bootstrap stack with local state, $2"
    else
      STACKS+=("$stack")
    fi
  done
}

# Init and plan one stack, then write its plan JSON, redacted, to <redacted json>.
# Usage: plan_redacted <stack> <redacted json> <terraform plan flags...>
# Sets PLAN_STATUS (0: no changes, 2: changes). The binary plan stays at "$scratch/tfplan" for the
# caller to apply or delete; the unredacted JSON and the console log are deleted here. A failed plan
# prints only its error diagnostics and exits the calling script with 1.
plan_redacted() {
  local stack="$1" out="$2" dir="cdktf.out/stacks/$1"
  shift 2
  echo "::group::plan $stack"
  terraform -chdir="$dir" init -input=false -no-color
  PLAN_STATUS=0
  (umask 077 && terraform -chdir="$dir" plan -input=false -no-color "$@" -detailed-exitcode -out="$scratch/tfplan" > "$scratch/console.log" 2>&1) || PLAN_STATUS=$?
  echo "terraform plan $stack: exit $PLAN_STATUS"
  echo "::endgroup::"
  if [ "$PLAN_STATUS" -eq 1 ]; then
    tf_errors "$scratch/console.log"
    echo "::error title=${stack}::terraform plan failed"
    exit 1
  fi
  (umask 077 && terraform -chdir="$dir" show -json "$scratch/tfplan" > "$scratch/plan.json")
  node dist/tools/plan-redact.js "$scratch/plan.json" > "$out"
  rm -f "$scratch/plan.json" "$scratch/console.log"
  node dist/tools/plan-summary.js --stack "$stack=$out" || echo "::warning title=${stack}::no plan summary"
}
