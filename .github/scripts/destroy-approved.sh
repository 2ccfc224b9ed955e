#!/usr/bin/env bash
# Does the destroy-approved label of a pull request count? (tools/destroy-approval.ts: a person with
# write access who is neither the author nor an author or committer of its commits, after the plan
# run was made.) Used by review-plan.sh (the destroy-gate status) and by apply-stacks.sh, which
# checks it again before applying a re-plan that deletes or replaces resources.
# Env: GH_TOKEN, GITHUB_REPOSITORY, PULL_REQUEST, PLAN_RUN_ID. Exit 0: approved, prints by whom;
# otherwise prints why not.
set -euo pipefail
repo="$GITHUB_REPOSITORY"
if [ -z "${PULL_REQUEST:-}" ] || [ -z "${PLAN_RUN_ID:-}" ]; then
  echo "no pull request or plan run to check the destroy approval against"
  exit 1
fi
work="$(mktemp -d "${RUNNER_TEMP:-/tmp}/approval.XXXXXX")"
trap 'rm -rf "$work"' EXIT
planned_at="$(gh api "repos/${repo}/actions/runs/${PLAN_RUN_ID}" --jq .run_started_at)"
author="$(gh api "repos/${repo}/pulls/${PULL_REQUEST}" --jq .user.login)"
gh api "repos/${repo}/issues/${PULL_REQUEST}/events" --paginate --jq '.[]' > "$work/events.jsonl"
gh api "repos/${repo}/pulls/${PULL_REQUEST}/commits" --paginate --jq '.[]' > "$work/commits.jsonl"
verdict=0
decision="$(node dist/tools/destroy-approval.js --author "$author" --commits "$work/commits.jsonl" --since "$planned_at" "$work/events.jsonl")" || verdict=$?
if [ "$verdict" -ne 0 ]; then
  echo "$decision"
  exit 1
fi
permission="$(gh api "repos/${repo}/collaborators/${decision}/permission" --jq .permission)"
case "$permission" in
  admin | maintain | write) echo "approved by @${decision}" ;;
  *)
    echo "destroy-approved by @${decision}, who has ${permission} access; a maintainer must approve"
    exit 1
    ;;
esac
