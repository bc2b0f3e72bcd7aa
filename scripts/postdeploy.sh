#!/bin/sh
# azd postdeploy hook (also usable by hand): for each managed subscription, deploy
#   1. infra/subscription.json - the custom role, assigned to the app's identity
#      (needs Owner or User Access Administrator on that subscription), then
#   2. infra/eventgrid.json    - the system topic and the event subscription to onClusterEvent.
# It runs after the code is deployed: an event subscription to a function that does not exist
# yet fails validation. See docs/deploy.md.
#
# Inputs (environment; azd sets the first five from infra/main.bicep's outputs):
#   AZURE_FUNCTION_APP_ID, AZURE_FUNCTION_APP_PRINCIPAL_ID, AZURE_STORAGE_ACCOUNT_ID,
#   ARC_WI_DEAD_LETTER_CONTAINER, AZURE_LOCATION        required
#   ARC_WI_MANAGED_SUBSCRIPTIONS   subscription ids, comma- or space-separated
#                                  (default: AZURE_SUBSCRIPTION_ID)
#   ARC_WI_ROLE_SCOPE              subscription (default) | resourceGroups
#   ARC_WI_MANAGED_RESOURCE_GROUPS resource group names, comma-separated (with resourceGroups)
#   ARC_WI_DEPLOY_ROLE             true (default) | false: skip subscription.json
#   ARC_WI_GRANT_DEAD_LETTER_ROLE  true (default) | false: grant the topic's blob role by hand
#   ARC_WI_EVENTGRID_ATTEMPTS      tries for eventgrid.json while the function appears (default 5)
#   ARC_WI_RETRY_DELAY_SECONDS     pause between those tries (default 30)
set -eu

infra_dir=$(cd "$(dirname "$0")/../infra" && pwd)

fail() {
  echo "postdeploy: $*" >&2
  exit 2
}

require() {
  eval "value=\${$1:-}"
  [ -n "$value" ] || fail "$1 is not set. Run 'azd provision' first, or export it (docs/deploy.md)."
}

for name in AZURE_FUNCTION_APP_ID AZURE_FUNCTION_APP_PRINCIPAL_ID AZURE_STORAGE_ACCOUNT_ID \
  ARC_WI_DEAD_LETTER_CONTAINER AZURE_LOCATION; do
  require "$name"
done

subscriptions=$(printf '%s' "${ARC_WI_MANAGED_SUBSCRIPTIONS:-${AZURE_SUBSCRIPTION_ID:-}}" | tr ',' ' ')
[ -n "$(printf '%s' "$subscriptions" | tr -d ' ')" ] ||
  fail "no managed subscription: set ARC_WI_MANAGED_SUBSCRIPTIONS (or AZURE_SUBSCRIPTION_ID)."

role_scope=${ARC_WI_ROLE_SCOPE:-subscription}
case "$role_scope" in
  subscription | resourceGroups) ;;
  *) fail "ARC_WI_ROLE_SCOPE must be subscription or resourceGroups, not '$role_scope'." ;;
esac

# ["rg1","rg2"] from "rg1,rg2" (resource group names never contain quotes or commas).
resource_groups_json=$(printf '%s' "${ARC_WI_MANAGED_RESOURCE_GROUPS:-}" |
  tr ',' '\n' | sed -e 's/^ *//' -e 's/ *$//' -e '/^$/d' -e 's/.*/"&"/' | paste -sd, -)
resource_groups_json="[${resource_groups_json}]"
if [ "$role_scope" = resourceGroups ] && [ "$resource_groups_json" = "[]" ]; then
  fail "ARC_WI_ROLE_SCOPE=resourceGroups needs ARC_WI_MANAGED_RESOURCE_GROUPS."
fi

attempts=${ARC_WI_EVENTGRID_ATTEMPTS:-5}
delay=${ARC_WI_RETRY_DELAY_SECONDS:-30}

deploy_role() {
  az deployment sub create --only-show-errors --output none \
    --subscription "$1" --location "$AZURE_LOCATION" --name arc-wi-subscription \
    --template-file "$infra_dir/subscription.json" \
    --parameters appPrincipalId="$AZURE_FUNCTION_APP_PRINCIPAL_ID" \
    assignmentScope="$role_scope" managedResourceGroups="$resource_groups_json"
}

deploy_eventgrid() {
  az deployment sub create --only-show-errors --output none \
    --subscription "$1" --location "$AZURE_LOCATION" --name arc-wi-eventgrid \
    --template-file "$infra_dir/eventgrid.json" \
    --parameters functionAppResourceId="$AZURE_FUNCTION_APP_ID" \
    deadLetterStorageAccountResourceId="$AZURE_STORAGE_ACCOUNT_ID" \
    deadLetterContainerName="$ARC_WI_DEAD_LETTER_CONTAINER" \
    grantDeadLetterRole="${ARC_WI_GRANT_DEAD_LETTER_ROLE:-true}"
}

# The function shows up in ARM a little after the code is deployed; retry while it does.
deploy_eventgrid_with_retries() {
  try=1
  until deploy_eventgrid "$1"; do
    [ "$try" -lt "$attempts" ] || fail "eventgrid.json failed $try times in subscription $1."
    echo "postdeploy: eventgrid.json failed in $1 (try $try of $attempts); retrying in ${delay}s" >&2
    sleep "$delay"
    try=$((try + 1))
  done
}

for subscription in $subscriptions; do
  if [ "${ARC_WI_DEPLOY_ROLE:-true}" = true ]; then
    echo "postdeploy: subscription.json -> $subscription ($role_scope)"
    deploy_role "$subscription"
  fi

  echo "postdeploy: eventgrid.json -> $subscription"
  deploy_eventgrid_with_retries "$subscription"
done

echo "postdeploy: done"
