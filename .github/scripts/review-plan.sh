#!/usr/bin/env bash
# Review the plans of one pull request head (called by review.yml, base-branch code only).
# Env: GH_TOKEN, GITHUB_REPOSITORY, HEAD_SHA, RUN_ID (the "pull request" run; looked up when empty).
# Posts/updates the plan-summary comment, sets or clears the destructive-change label, and sets the
# "destroy-gate" commit status on HEAD_SHA.
set -euo pipefail
repo="$GITHUB_REPOSITORY"
run_url="${GITHUB_SERVER_URL}/${repo}/actions/runs/${GITHUB_RUN_ID}"
gate() { # state description
  gh api --method POST "repos/${repo}/statuses/${HEAD_SHA}" -f state="$1" -f context=destroy-gate \
    -f description="${2:0:140}" -f target_url="$run_url" > /dev/null
  echo "destroy-gate: $1: $2"
}
pr="$(gh api "repos/${repo}/commits/${HEAD_SHA}/pulls" --jq '[.[] | select(.state == "open")][0].number // empty')"
if [ -z "$pr" ]; then
  echo "::notice::${HEAD_SHA} is not the head of an open pull request: nothing to review"
  exit 0
fi
if [ "$(gh api "repos/${repo}/pulls/${pr}" --jq .head.sha)" != "$HEAD_SHA" ]; then
  echo "::notice::${HEAD_SHA} is no longer the head of #${pr}: its own run reviews the new head"
  exit 0
fi
if [ -z "${RUN_ID:-}" ]; then
  RUN_ID="$(gh run list --repo "$repo" --workflow pr.yml --commit "$HEAD_SHA" --status success --limit 1 --json databaseId --jq '.[0].databaseId // empty')"
fi
if [ -z "$RUN_ID" ]; then
  gate pending "no successful plan of ${HEAD_SHA:0:7} yet"
  exit 0
fi
work="$(mktemp -d)"
gh run download "$RUN_ID" --repo "$repo" --pattern 'plan-*' --dir "$work"

status=0
node dist/tools/plan-summary.js --fail-on-destroy --cost "$work"/plan-*/*.json > "$work/summary.md" || status=$?
if [ "$status" -eq 1 ]; then
  gate error "the plan summary failed: see the run"
  exit 1
fi
cat "$work/summary.md" >> "$GITHUB_STEP_SUMMARY"
.github/scripts/upsert-comment.sh "$pr" "$work/summary.md"

if [ "$status" -eq 0 ]; then
  gh pr edit "$pr" --repo "$repo" --remove-label destructive-change > /dev/null 2>&1 || true
  gate success "no deletes or stateful replacements"
  exit 0
fi
gh label create destructive-change --repo "$repo" --color b60205 --description "The plan deletes or replaces resources" --force > /dev/null
gh pr edit "$pr" --repo "$repo" --add-label destructive-change > /dev/null
verdict=0
decision="$(PULL_REQUEST="$pr" PLAN_RUN_ID="$RUN_ID" .github/scripts/destroy-approved.sh)" || verdict=$?
if [ "$verdict" -ne 0 ]; then
  gate failure "destructive plan: ${decision}"
  exit 1
fi
gate success "destructive plan ${decision}"
