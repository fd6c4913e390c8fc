#!/bin/sh
# One-shot init of the lab stack, run in the curlimages/curl image once the Solace broker is healthy: configures the
# message VPN "default" over SEMP v2 so that
#   - clients log in with a password (client usernames logbridge and subscriber, passwords from compose/secrets/);
#   - guaranteed messages to acme/> are kept: queue acme-logs subscribes to acme/> (messages expire after an hour,
#     so a long-running lab does not fill the spool);
#   - MQTT (plain, port 1883) and SMF (55555, always on) are both served.
# Idempotent: an object that already exists is left as it is.
set -eu

semp="${SEMP_URL:-http://solace:8080}/SEMP/v2/config"
vpn=default
auth="${SEMP_USER:-admin}:${SEMP_PASSWORD:-admin}"
logbridge_password=$(cat /run/secrets/solace-password)
subscriber_password=$(cat /run/secrets/subscriber-password)

# call METHOD PATH JSON: fails on any answer but 200, except "already exists" for a POST.
call() {
  out=$(mktemp)
  code=$(curl -sS -o "$out" -w '%{http_code}' -u "$auth" -X "$1" -H 'Content-Type: application/json' \
    --data "$3" "$semp$2")
  if [ "$code" = 200 ]; then
    echo "$1 $2: ok"
  elif [ "$1" = POST ] && grep -q ALREADY_EXISTS "$out"; then
    echo "$1 $2: already there"
  else
    echo "$1 $2: HTTP $code" >&2
    cat "$out" >&2
    exit 1
  fi
  rm -f "$out"
}

call PATCH "/msgVpns/$vpn" '{"authenticationBasicType":"internal","serviceMqttPlainTextEnabled":true}'
call PATCH "/msgVpns/$vpn/clientProfiles/default" \
  '{"allowGuaranteedMsgSendEnabled":true,"allowGuaranteedMsgReceiveEnabled":true}'
call POST "/msgVpns/$vpn/clientUsernames" \
  "{\"clientUsername\":\"logbridge\",\"password\":\"$logbridge_password\",\"enabled\":true}"
call POST "/msgVpns/$vpn/clientUsernames" \
  "{\"clientUsername\":\"subscriber\",\"password\":\"$subscriber_password\",\"enabled\":true}"
call POST "/msgVpns/$vpn/queues" \
  '{"queueName":"acme-logs","accessType":"exclusive","permission":"consume","ingressEnabled":true,"egressEnabled":true,"maxMsgSpoolUsage":1500,"respectTtlEnabled":true,"maxTtl":3600}'
call POST "/msgVpns/$vpn/queues/acme-logs/subscriptions" '{"subscriptionTopic":"acme/>"}'
echo "Solace provisioned: queue acme-logs keeps every guaranteed message published under acme/>"
