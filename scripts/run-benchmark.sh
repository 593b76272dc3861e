#!/usr/bin/env bash
# Runs one benchmark harness, a *Benchmark class of server/src/test/java (docs/BENCHMARKS.md), after
# installing what the benchmarks need. Extra arguments go to Maven, e.g.
#   scripts/run-benchmark.sh BootPathBenchmark -Dbenchmark.backend=POSTGRESQL -Dbenchmark.seconds=5
# The exit code is Maven's. The benchmarks of the PXE and mesh labs (TimeToNodeBenchmark,
# JoinToFirstPingBenchmark) need the test packages too: run them through scripts/run-tests.sh as
# docs/BENCHMARKS.md says.
set -euo pipefail

# What the benchmarks drive besides the server. Keep this list here, in one place. nginx is started
# with a configuration of its own on a loopback port (the system's nginx service is not used or
# started); only its binary is needed, so Debian's nginx-light serves as well.
BENCHMARK_PACKAGES=(
  # Load generators: HTTP (wrk) and PostgreSQL (pgbench, in the postgresql package, whose server
  # binaries also run the throwaway PostgreSQL clusters).
  wrk
  postgresql
  curl
  # The reference static file server.
  nginx
  # The iPXE build's reference made by hand (mkfs.vfat, mmd, mcopy).
  dosfstools
  mtools
)

if (($# == 0)); then
  printf 'usage: scripts/run-benchmark.sh NAME [MAVEN_ARGUMENTS...], e.g. BootPathBenchmark\n' >&2
  exit 2
fi
name="$1"
shift

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/setup.sh
. scripts/lib/setup.sh

provisioner_setup "${BENCHMARK_PACKAGES[@]}"
# iPXE 1.21+ binaries for the iPXE builds; exports PROVISIONER_IPXE_DIR.
provisioner_fetch_ipxe
provisioner_say "./mvnw -B -q -pl server -am test -Dtest=$name -Dsurefire.failIfNoSpecifiedTests=false $*"
exec ./mvnw -B -q -pl server -am test -Dtest="$name" -Dsurefire.failIfNoSpecifiedTests=false "$@"
