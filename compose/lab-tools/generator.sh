#!/bin/sh
# The lab stack's log generator (lab/generator/), producing over SASL_SSL with the Event Hubs-style connection string
# of the compose secret, as a Fluent Bit or a collector would to Event Hubs. Options go to lab/generator/main.ts.
set -eu
LAB_EVENTHUBS_CONNECTION_STRING=$(cat /run/secrets/eventhubs-connection-string)
export LAB_EVENTHUBS_CONNECTION_STRING
exec node lab/generator/main.ts "$@"
