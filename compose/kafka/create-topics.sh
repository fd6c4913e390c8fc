#!/bin/sh
# One-shot init of the lab stack: the event hubs (topics) the generator writes and logbridge reads, and the
# dead-letter topic. Like Event Hubs, the broker creates no topic on its own. Idempotent.
set -eu
bootstrap=kafka:29092
create() {
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$1" --partitions "$2" --replication-factor 1
}
create fluentbit-logs 4
create cri-logs 4
create logbridge-dlq 1
/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --list
