#!/usr/bin/env bash
# README command 1: installs what is missing (a JDK 21+, the Debian packages the server needs),
# builds the distribution jar if it is missing or stale, and starts the server with the embedded
# database on http://localhost:8080. On its first start the server prints the first operator token
# and saves it to ./data/operator-token. Extra arguments go to `provisioner server`, e.g.
#   scripts/start-server.sh --port 18080 --data-dir /var/lib/provisioner
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/packages.sh
. scripts/lib/packages.sh
# shellcheck source=scripts/lib/setup.sh
. scripts/lib/setup.sh

provisioner_setup "${SERVER_PACKAGES[@]}"
# iPXE 1.21+ binaries for the iPXE artifacts; exports PROVISIONER_IPXE_DIR for the server.
provisioner_fetch_ipxe
provisioner_build_jar
provisioner_say "starting: ./provisioner server $*"
exec ./provisioner server "$@"
