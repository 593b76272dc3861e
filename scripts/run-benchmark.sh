#!/usr/bin/env bash
# Runs one benchmark harness, a *Benchmark class of server/src/test/java (docs/BENCHMARKS.md), after
# installing what the benchmarks need. Extra arguments go to Maven, e.g.
#   scripts/run-benchmark.sh BootPathBenchmark -Dbenchmark.backend=POSTGRESQL -Dbenchmark.seconds=5
# The exit code is Maven's. It installs the test packages as well (scripts/lib/packages.sh), so the
# lab benchmarks run from it too.
set -euo pipefail

if (($# == 0)); then
  printf 'usage: scripts/run-benchmark.sh NAME [MAVEN_ARGUMENTS...], e.g. BootPathBenchmark\n' >&2
  exit 2
fi
name="$1"
shift

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/packages.sh
. scripts/lib/packages.sh
# shellcheck source=scripts/lib/setup.sh
. scripts/lib/setup.sh

# The test packages too: the lab benchmarks (TimeToNodeBenchmark, BootStormBenchmark,
# JoinToFirstPingBenchmark, NatPathBenchmark, RelayPairsBenchmark) boot and serve hosts as the lab tests do.
provisioner_setup "${TEST_PACKAGES[@]}" "${BENCHMARK_PACKAGES[@]}"
# iPXE 1.21+ binaries for the iPXE builds; exports PROVISIONER_IPXE_DIR.
provisioner_fetch_ipxe
# A Linux kernel for the test node OS; exports PROVISIONER_TEST_KERNEL_DIR.
provisioner_fetch_test_kernel
provisioner_say "./mvnw -B -q -pl server -am test -Dtest=$name -Dsurefire.failIfNoSpecifiedTests=false $*"
exec ./mvnw -B -q -pl server -am test -Dtest="$name" -Dsurefire.failIfNoSpecifiedTests=false "$@"
