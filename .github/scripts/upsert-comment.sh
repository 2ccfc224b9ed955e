#!/usr/bin/env bash
# Create, or update in place, the one plan-summary comment on a pull request.
# Usage: upsert-comment.sh <pull request number> <markdown file>   (needs GH_TOKEN)
set -euo pipefail
pr="$1"
marker="<!-- plan-summary -->"
body="$(printf '%s\n%s\n' "$marker" "$(cat "$2")")"
id="$(gh api "repos/${GITHUB_REPOSITORY}/issues/${pr}/comments" --paginate \
  --jq ".[] | select(.body | startswith(\"${marker}\")) | .id" | head -n 1)"
if [ -n "$id" ]; then
  gh api --method PATCH "repos/${GITHUB_REPOSITORY}/issues/comments/${id}" -f body="$body" > /dev/null
else
  gh api --method POST "repos/${GITHUB_REPOSITORY}/issues/${pr}/comments" -f body="$body" > /dev/null
fi
