#!/bin/sh
# One-shot init of the lab stack: a self-signed certificate for the broker's SASL_SSL listeners (names kafka and
# localhost), as a PKCS12 keystore for the broker and a PEM file clients trust (kafka.ssl.ca.location). Runs in the
# apache/kafka image (keytool comes with its JRE); does nothing when the files exist.
set -eu
secrets=/etc/kafka/secrets
ca=/etc/kafka/ca
if [ -s "$secrets/broker.p12" ] && [ -s "$ca/ca.pem" ]; then
  echo "broker certificate already made"
  exit 0
fi
rm -f "$secrets/broker.p12" "$ca/ca.pem"
keytool -genkeypair -alias broker -keyalg RSA -keysize 2048 -validity 3650 -dname "CN=kafka" \
  -ext "SAN=DNS:kafka,DNS:localhost,IP:127.0.0.1" -storetype PKCS12 -keystore "$secrets/broker.p12" \
  -storepass changeit -keypass changeit -noprompt
keytool -exportcert -rfc -alias broker -keystore "$secrets/broker.p12" -storepass changeit -file "$ca/ca.pem"
# The broker runs as appuser; logbridge and the generator (uid 1000) only read the public certificate.
chown appuser "$secrets/broker.p12"
chmod 0600 "$secrets/broker.p12"
chmod 0644 "$ca/ca.pem"
echo "broker certificate made: $ca/ca.pem"
