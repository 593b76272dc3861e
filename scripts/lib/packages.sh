# shellcheck shell=bash
# The Debian packages the scripts install, each list in this one place:
# scripts/start-server.sh (SERVER_PACKAGES), scripts/run-tests.sh (TEST_PACKAGES: the server's and
# more), scripts/run-benchmark.sh (BENCHMARK_PACKAGES, besides the test packages).
# shellcheck disable=SC2034

# What the server needs at run time.
SERVER_PACKAGES=(
  curl
  ca-certificates
  openssh-client
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
)

# What the tests need on the machine. The PostgreSQL store tests start the server binaries of
# Debian's postgresql package as a throwaway cluster of their own: no script starts or enables the
# system's postgresql service, and the tests do not use it.
TEST_PACKAGES=(
  "${SERVER_PACKAGES[@]}"
  postgresql
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
  # The NAT lab (MeshNatLabTest): its site routers masquerade and drop unsolicited inbound traffic with
  # nftables; tcpdump captures what the relay forwards.
  nftables
  tcpdump
  # The replicas test (ReplicasTest, testing/Replicas): HAProxy balances three server replicas,
  # started directly with a configuration of its own on loopback (not the system's service).
  haproxy
  # The dashboard's browser tests (testing/Browser): headless Chromium driven by its chromedriver.
  chromium
  chromium-driver
)

# What the benchmarks drive besides the server. nginx is started
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
  # NatPathBenchmark's throughput over direct and relayed mesh paths.
  iperf3
  # The iPXE build's reference made by hand (mkfs.vfat, mmd, mcopy).
  dosfstools
  mtools
  # TimeToNodeBenchmark's packet captures of each boot on the lab's LAN (tcpdump), read back by tshark.
  tcpdump
  tshark
)
