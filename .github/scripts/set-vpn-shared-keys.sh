#!/usr/bin/env bash
# Copy each site-to-site customer's pre-shared key from Key Vault onto its connection.
# Usage: set-vpn-shared-keys.sh <synthesized vpn stack dir, e.g. cdktf.out/stacks/prod-azure-vpn>
# Runs only in the environment-protected apply job on main, after that stack is applied, with az
# logged in as the apply identity (Key Vault Secrets User on the vault, Network Contributor on the
# connections). Terraform never sees a key: the stack has no Key Vault data source and
# ignore_changes = [shared_key] (constructs/azure/vpn/site-to-site-vpn.ts). The key travels from
# Key Vault to the connection through stdin and a 0600 temp file: never on a command line, in a log
# (masked) or in an artifact. It is written only when it differs, so applies do not reset tunnels.
set -euo pipefail
dir="$1"
API_VERSION="2024-05-01"
source_json="$(terraform -chdir="$dir" output -json shared-key-source)"
vault="$(jq -r .keyVault <<<"$source_json")"
group="$(jq -r .resourceGroup <<<"$source_json")"
subscription="$(az account show --query id -o tsv)"
umask 077
body="$(mktemp)"
trap 'rm -f "$body"' EXIT
while read -r connection secret; do
  url="https://management.azure.com/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Network/connections/${connection}/sharedkey?api-version=${API_VERSION}"
  if ! wanted="$(az keyvault secret show --vault-name "$vault" --name "$secret" --query value -o tsv)"; then
    echo "::error title=${connection}::Key Vault secret ${secret} not readable in ${vault}: store it first (docs/runbooks/site-to-site-customer.md, step 2)"
    exit 1
  fi
  echo "::add-mask::${wanted}"
  current="$(az rest --method get --url "$url" --query value -o tsv)"
  if [ "$wanted" = "$current" ]; then
    echo "${connection}: key already matches ${vault}/${secret}"
    continue
  fi
  jq -Rn '{value: input}' <<<"$wanted" > "$body"
  az rest --method put --url "$url" --body "@${body}" --output none
  echo "${connection}: key set from ${vault}/${secret}"
done < <(jq -r '.secrets | to_entries[] | "\(.key) \(.value)"' <<<"$source_json")
