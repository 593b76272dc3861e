#!/usr/bin/env bash
# README command 2: installs what is missing (a JDK 21+, the Debian packages the tests use) and runs
# the whole test suite of all modules with the Maven wrapper. Extra arguments go to Maven, e.g.
#   scripts/run-tests.sh -pl server -Dtest=LocalnodeApiTest
# The exit code is Maven's.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/packages.sh
. scripts/lib/packages.sh

# shellcheck source=scripts/lib/setup.sh
. scripts/lib/setup.sh

provisioner_setup "${TEST_PACKAGES[@]}"
# iPXE 1.21+ binaries for the iPXE artifacts; exports PROVISIONER_IPXE_DIR for the tests.
provisioner_fetch_ipxe
# A Linux kernel for the test node OS; exports PROVISIONER_TEST_KERNEL_DIR for the tests.
provisioner_fetch_test_kernel
provisioner_say "./mvnw -B --no-transfer-progress verify $*"
exec ./mvnw -B --no-transfer-progress verify "$@"
