#!/usr/bin/env bash
# README command 2: installs what is missing (a JDK 21+, the Debian packages the tests use) and runs
# the whole test suite of all modules with the Maven wrapper. Extra arguments go to Maven, e.g.
#   scripts/run-tests.sh -pl server -Dtest=LocalnodeApiTest
# The exit code is Maven's.
set -euo pipefail

# What the tests need on the machine. Keep this list here, in one place. The PostgreSQL store tests
# start the server binaries of Debian's postgresql package as a throwaway cluster of their own: this
# script does not start or enable the system's postgresql service, and the tests do not use it.
TEST_PACKAGES=(
  curl
  ca-certificates
  openssh-client
  postgresql
  # Artifact builders: ISO images, FAT images, GRUB EFI images, SYSLINUX fragments.
  xorriso
  mtools
  dosfstools
  grub-efi-amd64-bin
  grub-efi-ia32-bin
  grub-pc-bin
  grub-common
  syslinux-common
  isolinux
  # Tools the tests inspect built files with (file types, zip listings, strings, checksums).
  file
  unzip
  binutils
  coreutils
  # Boot tests of the built artifacts under software emulation.
  qemu-system-x86
  ovmf
  # The PXE lab (server tests, testing/Lab): network namespaces, bridges, veths and taps, and dnsmasq's
  # binary without its system service (the lab runs it directly, in its own namespaces only).
  iproute2
  dnsmasq-base
  # The lab's router reaches the server on this machine's loopback through a Unix socket (socat).
  socat
  # The boot storm benchmark's reference web server (BootStormBenchmark; nginx is run directly, in a
  # lab namespace only, never as the system's service).
  nginx-light
  # The test node OS: a Debian kernel (see provisioner_fetch_test_kernel) and an initramfs the tests
  # build from these.
  busybox-static
  dropbear-bin
  cpio
  # The mesh lab (MeshLabTest): wg configures the agents' interfaces, wireguard-go runs them where the
  # kernel has no WireGuard module, ping checks the overlay addresses between namespaces.
  wireguard-tools
  wireguard-go
  iputils-ping
  # The dashboard's browser tests (testing/Browser): headless Chromium driven by its chromedriver.
  chromium
  chromium-driver
)

cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/setup.sh
. scripts/lib/setup.sh

provisioner_setup "${TEST_PACKAGES[@]}"
# iPXE 1.21+ binaries for the iPXE artifacts; exports PROVISIONER_IPXE_DIR for the tests.
provisioner_fetch_ipxe
# A Linux kernel for the test node OS; exports PROVISIONER_TEST_KERNEL_DIR for the tests.
provisioner_fetch_test_kernel
provisioner_say "./mvnw -B --no-transfer-progress verify $*"
exec ./mvnw -B --no-transfer-progress verify "$@"
