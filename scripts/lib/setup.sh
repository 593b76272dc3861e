# shellcheck shell=bash
# Shared setup for the project's scripts. Source it, then call what you need:
#
#   . scripts/lib/setup.sh
#   provisioner_setup curl ca-certificates   # JDK 21+ (found or installed) + missing Debian packages
#   provisioner_find_jdk                     # only find a JDK 21+ and export JAVA_HOME; installs nothing
#   provisioner_build_jar                    # build cli/target/provisioner.jar if missing or stale
#
# Or run it directly: `bash scripts/lib/setup.sh PACKAGE...` does provisioner_setup.
#
# Everything it does is announced on stderr with a `==> ...` line. It is idempotent: the second
# run finds the JDK and the installed packages without calling apt, so it is fast and offline.
# Installing uses apt-get (Debian, Ubuntu), through sudo when not root.

PROVISIONER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The lowest Java feature release the build accepts (see the enforcer rule in pom.xml).
PROVISIONER_JAVA_MIN=21
# Where JDKs are looked for when neither JAVA_HOME nor `java` on PATH is new enough.
PROVISIONER_JVM_DIR="${PROVISIONER_JVM_DIR:-/usr/lib/jvm}"
# JDK packages tried in this order when no JDK 21+ is on the machine.
PROVISIONER_JDK_PACKAGES=(openjdk-21-jdk-headless openjdk-25-jdk-headless)
# Set to 1 to print only what changes something (building, installing) and errors.
PROVISIONER_QUIET="${PROVISIONER_QUIET:-0}"

_provisioner_apt_updated=0

provisioner_say() {
  printf '==> %s\n' "$*" >&2
}

provisioner_info() {
  [[ "$PROVISIONER_QUIET" == 1 ]] || provisioner_say "$@"
}

provisioner_die() {
  printf '==> error: %s\n' "$*" >&2
  return 1
}

# The Java feature release (17, 21, 25, ...) of the JDK at $1, or nothing when $1 is not a JDK
# (a JRE has no javac, and Maven needs the compiler).
_provisioner_jdk_version() {
  local home="$1" version=""
  [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 1
  if [[ -r "$home/release" ]]; then
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
  fi
  if [[ -z "$version" ]]; then
    version="$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)"
  fi
  version="${version#1.}" # 1.8.0 -> 8
  version="${version%%[.+-]*}"
  [[ "$version" =~ ^[0-9]+$ ]] || return 1
  printf '%s\n' "$version"
}

# Succeeds when $1 is a JDK home of release 21 or newer.
_provisioner_jdk_ok() {
  local version
  version="$(_provisioner_jdk_version "$1")" || return 1
  ((version >= PROVISIONER_JAVA_MIN))
}

# Finds a JDK 21+ and exports JAVA_HOME, installing nothing: JAVA_HOME if it is one, then `java` on
# PATH, then the newest under /usr/lib/jvm. Returns 1 when there is none.
provisioner_find_jdk() {
  local candidate="" java="" best="" best_version=0 version dir
  if [[ -n "${JAVA_HOME:-}" ]]; then
    if _provisioner_jdk_ok "$JAVA_HOME"; then
      candidate="$JAVA_HOME"
    else
      provisioner_info "JAVA_HOME=$JAVA_HOME is not a JDK ${PROVISIONER_JAVA_MIN}+: looking further"
    fi
  fi
  if [[ -z "$candidate" ]] && java="$(command -v java)"; then
    java="$(readlink -f "$java")"
    if _provisioner_jdk_ok "${java%/bin/java}"; then
      candidate="${java%/bin/java}"
    fi
  fi
  if [[ -z "$candidate" ]]; then
    for dir in "$PROVISIONER_JVM_DIR"/*; do
      [[ -d "$dir" ]] || continue
      version="$(_provisioner_jdk_version "$dir")" || continue
      if ((version >= PROVISIONER_JAVA_MIN && version > best_version)); then
        best="$dir"
        best_version="$version"
      fi
    done
    candidate="$best"
  fi
  [[ -n "$candidate" ]] || return 1
  JAVA_HOME="$(readlink -f "$candidate")"
  export JAVA_HOME
  provisioner_info "Java $(_provisioner_jdk_version "$JAVA_HOME") at $JAVA_HOME"
}

# Runs a command as root: directly when root, else through sudo.
_provisioner_as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    provisioner_die "need root to run '$*': run this script as root or install sudo"
  fi
}

_provisioner_apt_update() {
  ((_provisioner_apt_updated)) && return 0
  provisioner_say "apt-get update"
  _provisioner_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 \
    || provisioner_die "apt-get update failed: check the network and the apt sources"
  _provisioner_apt_updated=1
}

_provisioner_apt_install() {
  provisioner_say "apt-get install $*"
  _provisioner_as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "$@" >&2 \
    || provisioner_die "apt-get install $* failed"
}

# Whether apt has a version of package $1 to install.
_provisioner_apt_has() {
  local candidate
  candidate="$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p')"
  [[ -n "$candidate" && "$candidate" != "(none)" ]]
}

# Whether every version apt knows of package $1 comes from a backports suite.
_provisioner_apt_only_backports() {
  local versions
  versions="$(apt-cache madison "$1" 2>/dev/null)"
  [[ -n "$versions" ]] && ! grep -qv -- '-backports' <<<"$versions"
}

_provisioner_codename() {
  (
    # shellcheck disable=SC1091
    . /etc/os-release 2>/dev/null && printf '%s\n' "${VERSION_CODENAME:-}"
  )
}

_provisioner_no_jdk_message() {
  printf '%s' "no Java ${PROVISIONER_JAVA_MIN} or newer JDK was found (JAVA_HOME, java on PATH, ${PROVISIONER_JVM_DIR}/*)" \
    " and apt has none to install (plain Debian 12 ships only OpenJDK 17)." \
    " Install a JDK ${PROVISIONER_JAVA_MIN} or newer: the package openjdk-21-jdk-headless where your distribution" \
    " has it (Debian 13, Ubuntu 24.04, or a backports suite added to the apt sources), or a JDK such as" \
    " Eclipse Temurin ${PROVISIONER_JAVA_MIN}+ unpacked under ${PROVISIONER_JVM_DIR}; or point JAVA_HOME at one." \
    " Then run this again."
}

# Finds a JDK 21+ or installs one with apt; stops with a clear message when neither works.
provisioner_ensure_jdk() {
  provisioner_find_jdk && return 0
  provisioner_say "no Java ${PROVISIONER_JAVA_MIN}+ JDK found: installing one with apt"
  if ! command -v apt-get >/dev/null 2>&1; then
    provisioner_die "$(_provisioner_no_jdk_message)"
    return 1
  fi
  _provisioner_apt_update || return 1
  local pkg codename installed=0
  for pkg in "${PROVISIONER_JDK_PACKAGES[@]}"; do
    if _provisioner_apt_has "$pkg" && ! _provisioner_apt_only_backports "$pkg"; then
      _provisioner_apt_install "$pkg" || return 1
      installed=1
      break
    fi
  done
  if ((!installed)); then
    codename="$(_provisioner_codename)"
    pkg="${PROVISIONER_JDK_PACKAGES[0]}"
    if [[ -n "$codename" ]] && _provisioner_apt_has "$pkg" \
      && apt-cache madison "$pkg" 2>/dev/null | grep -q -- "${codename}-backports"; then
      _provisioner_apt_install -t "${codename}-backports" "$pkg" || return 1
      installed=1
    fi
  fi
  if ((!installed)); then
    provisioner_die "$(_provisioner_no_jdk_message)"
    return 1
  fi
  unset JAVA_HOME
  provisioner_find_jdk || provisioner_die "installed a JDK but found no Java ${PROVISIONER_JAVA_MIN}+ under ${PROVISIONER_JVM_DIR}"
}

# Installs the Debian packages given as arguments that are not installed yet (checked with
# dpkg-query, so nothing calls apt when all are there).
provisioner_ensure_packages() {
  (($# > 0)) || return 0
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    provisioner_say "not a Debian-like system: make sure these are installed: $*"
    return 0
  fi
  local pkg missing=()
  for pkg in "$@"; do
    if [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null)" != ii* ]]; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    provisioner_info "packages present: $*"
    return 0
  fi
  provisioner_say "missing packages: ${missing[*]}"
  _provisioner_apt_update || return 1
  _provisioner_apt_install "${missing[@]}"
}

# JDK first, then packages; one apt-get update at most.
provisioner_setup() {
  provisioner_ensure_jdk || return 1
  provisioner_ensure_packages "$@"
}

# The runnable jar the launcher starts.
PROVISIONER_JAR="$PROVISIONER_ROOT/cli/target/provisioner.jar"

# The first build input newer than the jar (poms, main sources and resources), if any.
_provisioner_newer_source() {
  find "$PROVISIONER_ROOT" \
    \( -name target -o -name .git -o -name node_modules -o -path "$PROVISIONER_ROOT/data" \) -prune \
    -o \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$PROVISIONER_JAR" -print -quit
}

# Builds the jar when it is missing or older than a source file. Needs JAVA_HOME (see above).
# Maven's output goes to stderr, so that callers' stdout stays clean.
provisioner_build_jar() {
  local newer=""
  if [[ -f "$PROVISIONER_JAR" ]]; then
    newer="$(_provisioner_newer_source)"
    [[ -n "$newer" ]] || return 0
    provisioner_say "building ${PROVISIONER_JAR#"$PROVISIONER_ROOT"/} (${newer#"$PROVISIONER_ROOT"/} changed)"
  else
    provisioner_say "building ${PROVISIONER_JAR#"$PROVISIONER_ROOT"/}"
  fi
  (cd "$PROVISIONER_ROOT" && ./mvnw -B -q -DskipTests package >&2) \
    || provisioner_die "the build failed (see Maven's messages above)" || return 1
  # Maven may leave an up-to-date jar as it was; mark it as built from the current sources.
  touch "$PROVISIONER_JAR"
}

# The copy of the jar that the launcher runs. A running JVM keeps reading its jar, and a rebuild
# (scripts/run-tests.sh, or the launcher after a source change) rewrites cli/target/provisioner.jar
# in place, which would break a server still running from it. The copy is only ever replaced by a
# rename, so a running server keeps the file it started with.
PROVISIONER_RUN_JAR="$PROVISIONER_ROOT/cli/target/run/provisioner.jar"

# Refreshes the run copy when the built jar is newer.
provisioner_stage_jar() {
  [[ -f "$PROVISIONER_RUN_JAR" && ! "$PROVISIONER_JAR" -nt "$PROVISIONER_RUN_JAR" ]] && return 0
  local tmp
  mkdir -p "${PROVISIONER_RUN_JAR%/*}"
  tmp="$(mktemp "${PROVISIONER_RUN_JAR%/*}/.provisioner.jar.XXXXXX")"
  if ! cp -p "$PROVISIONER_JAR" "$tmp" || ! mv -f "$tmp" "$PROVISIONER_RUN_JAR"; then
    rm -f "$tmp"
    provisioner_die "cannot copy $PROVISIONER_JAR to $PROVISIONER_RUN_JAR"
  fi
}

# iPXE 1.21 or newer: the prebuilt binaries the iPXE artifacts are made from (iPXE is not compiled
# here). provisioner_fetch_ipxe makes sure a directory holds ipxe-amd64.efi, ipxe.lkrn and
# undionly.kpxe from an `ipxe` package of version 1.21 or newer, and exports PROVISIONER_IPXE_DIR
# (the server's provisioner.bootloaders.ipxe-dir) pointing at it:
#   - the system's /usr/lib/ipxe, when the installed `ipxe` package is 1.21+ (Debian 13, Ubuntu 24.04);
#   - else PROVISIONER_IPXE_DIR (default /var/lib/provisioner/bootloaders/ipxe as root,
#     $HOME/.cache/provisioner/bootloaders/ipxe otherwise), filled once from the `ipxe` package that
#     apt offers when it is 1.21+, or else from Debian 13 (trixie) through the archive the machine's
#     apt sources already name. The package is unpacked with `dpkg -x`; the system's packages and apt
#     sources stay as they were. A second run finds the files and uses no network.
PROVISIONER_IPXE_MIN=1.21
PROVISIONER_IPXE_SUITE="${PROVISIONER_IPXE_SUITE:-trixie}"
PROVISIONER_IPXE_FILES=(ipxe-amd64.efi ipxe.lkrn undionly.kpxe)

_provisioner_ipxe_default_dir() {
  if ((EUID == 0)); then
    printf '%s\n' /var/lib/provisioner/bootloaders/ipxe
  else
    printf '%s\n' "${HOME:?}/.cache/provisioner/bootloaders/ipxe"
  fi
}

# Whether directory $1 holds the iPXE files the builders need.
_provisioner_ipxe_complete() {
  local file
  for file in "${PROVISIONER_IPXE_FILES[@]}"; do
    [[ -s "$1/$file" ]] || return 1
  done
}

# Whether version $1 is 1.21 or newer.
_provisioner_ipxe_version_ok() {
  [[ -n "$1" ]] && dpkg --compare-versions "$1" ge "$PROVISIONER_IPXE_MIN"
}

# The version of the installed `ipxe` package, if any.
_provisioner_ipxe_installed_version() {
  [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' ipxe 2>/dev/null)" == ii* ]] || return 1
  dpkg-query -W -f='${Version}' ipxe 2>/dev/null
}

# The first Debian archive URI of the machine's apt sources (deb822 .sources files and one-line
# `deb URI suite component` entries), leaving out security archives.
_provisioner_apt_archive_uri() {
  local files=() file
  for file in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$file" ]] && files+=("$file")
  done
  if ((${#files[@]} > 0)); then
    awk '
      function flush() { if (uris != "" && types ~ /(^| )deb( |$)/ && suites !~ /-security/) { split(uris, u, " "); print u[1]; found = 1; exit } uris = ""; types = ""; suites = "" }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]*#/ { next }
      tolower($1) == "types:" { $1 = ""; types = $0 }
      tolower($1) == "uris:" { $1 = ""; sub(/^ +/, ""); uris = $0 }
      tolower($1) == "suites:" { $1 = ""; suites = $0 }
      tolower($1) == "enabled:" && tolower($2) == "no" { uris = "" }
      END { if (!found) flush() }
    ' "${files[@]}" | head -n 1 | grep . && return 0
  fi
  files=()
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$file" ]] && files+=("$file")
  done
  ((${#files[@]} > 0)) || return 1
  awk '
    $1 != "deb" { next }
    { i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ } }
    $(i + 1) ~ /-security/ { next }
    { print $i; exit }
  ' "${files[@]}" | head -n 1 | grep .
}

# Downloads the `ipxe` package into directory $1 with apt, without installing it. With a suite as
# $2, through a sources file of its own naming that suite on the machine's own archive, read only for
# this download; without one, from the apt sources as they are.
_provisioner_ipxe_download() {
  local work="$1" suite="${2:-}" uri opts=()
  if [[ -n "$suite" ]]; then
    uri="$(_provisioner_apt_archive_uri)" \
      || provisioner_die "no Debian archive found in /etc/apt/sources.list or /etc/apt/sources.list.d/: cannot fetch ipxe from $suite" \
      || return 1
    mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
    printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' "$uri" "$suite" >"$work/sources.list"
    opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
      -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o Debug::NoLocking=1
      -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root)
    provisioner_say "fetching the ipxe package of $suite from $uri (apt sources of its own; the system's packages stay as they are)"
    apt-get -q "${opts[@]}" update >&2 || provisioner_die "apt-get update for $suite failed: check the network" || return 1
  else
    provisioner_say "fetching the ipxe package apt offers (downloaded, not installed)"
    opts=(-o APT::Sandbox::User=root)
  fi
  (cd "$work" && apt-get -q "${opts[@]}" download ipxe >&2) || provisioner_die "apt-get download ipxe failed" || return 1
}

provisioner_fetch_ipxe() {
  local explicit="${PROVISIONER_IPXE_DIR:-}" dir version candidate work deb
  dir="${explicit:-$(_provisioner_ipxe_default_dir)}"
  if _provisioner_ipxe_complete "$dir"; then
    export PROVISIONER_IPXE_DIR="$dir"
    provisioner_info "iPXE $(cat "$dir/VERSION" 2>/dev/null || printf 'binaries') in $dir"
    return 0
  fi
  if version="$(_provisioner_ipxe_installed_version)" && _provisioner_ipxe_version_ok "$version" \
    && _provisioner_ipxe_complete /usr/lib/ipxe; then
    if [[ -z "$explicit" ]]; then
      export PROVISIONER_IPXE_DIR=/usr/lib/ipxe
      provisioner_info "iPXE $version of the system in /usr/lib/ipxe"
      return 0
    fi
    mkdir -p "$dir" || provisioner_die "cannot create $dir" || return 1
    _provisioner_ipxe_copy /usr/lib/ipxe "$dir" "$version"
    return
  fi
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
    provisioner_die "no iPXE ${PROVISIONER_IPXE_MIN}+ in $dir, and no apt to fetch it: put ${PROVISIONER_IPXE_FILES[*]} of an iPXE ${PROVISIONER_IPXE_MIN}+ build there"
    return 1
  fi
  mkdir -p "$dir" || provisioner_die "cannot create $dir" || return 1
  work="$(mktemp -d "$dir/.fetch.XXXXXX")" || return 1
  candidate="$(apt-cache policy ipxe 2>/dev/null | sed -n 's/^ *Candidate: *//p')"
  if _provisioner_ipxe_version_ok "$candidate" && [[ "$candidate" != "(none)" ]]; then
    _provisioner_ipxe_download "$work" || { rm -rf "$work"; return 1; }
  else
    _provisioner_ipxe_download "$work" "$PROVISIONER_IPXE_SUITE" || { rm -rf "$work"; return 1; }
  fi
  deb="$(find "$work" -maxdepth 1 -name 'ipxe_*.deb' -print -quit)"
  version="$(dpkg-deb -f "$deb" Version 2>/dev/null)"
  if ! _provisioner_ipxe_version_ok "$version"; then
    rm -rf "$work"
    provisioner_die "the downloaded ipxe package is version ${version:-unknown}, older than ${PROVISIONER_IPXE_MIN}"
    return 1
  fi
  dpkg -x "$deb" "$work/x" || { rm -rf "$work"; provisioner_die "cannot unpack $deb"; return 1; }
  if ! _provisioner_ipxe_complete "$work/x/usr/lib/ipxe"; then
    rm -rf "$work"
    provisioner_die "the ipxe package $version lacks one of ${PROVISIONER_IPXE_FILES[*]}"
    return 1
  fi
  _provisioner_ipxe_copy "$work/x/usr/lib/ipxe" "$dir" "$version" || { rm -rf "$work"; return 1; }
  rm -rf "$work"
}

# Copies the iPXE files of directory $1 into directory $2 and records version $3. The files the
# completeness check looks for are renamed into place last, so an interrupted copy is done again.
_provisioner_ipxe_copy() {
  local from="$1" dir="$2" version="$3" file name
  printf '%s\n' "$version" >"$dir/VERSION" || provisioner_die "cannot write to $dir" || return 1
  for file in "$from"/*; do
    name="${file##*/}"
    [[ -f "$file" && " ${PROVISIONER_IPXE_FILES[*]} " != *" $name "* ]] || continue
    cp -f "$file" "$dir/$name" || provisioner_die "cannot copy $file to $dir" || return 1
  done
  for name in "${PROVISIONER_IPXE_FILES[@]}"; do
    cp -f "$from/$name" "$dir/.$name.part" && mv -f "$dir/.$name.part" "$dir/$name" \
      || provisioner_die "cannot copy $from/$name to $dir" || return 1
  done
  export PROVISIONER_IPXE_DIR="$dir"
  provisioner_say "iPXE $version in $dir"
}

# A Linux kernel for the test node OS (the tests boot it with qemu and an initramfs of their own).
# provisioner_fetch_test_kernel makes sure a directory holds `vmlinuz`, the network driver modules
# the test OS loads (modules/*.ko, in load order in modules/order) and the kernel's VERSION, and
# exports PROVISIONER_TEST_KERNEL_DIR pointing at it (default /var/lib/provisioner/lab/kernel as
# root, $HOME/.cache/provisioner/lab/kernel otherwise). The kernel comes from the versioned package
# that the `linux-image-amd64` metapackage depends on, downloaded with apt and unpacked with
# `dpkg -x` into a scratch directory: nothing is installed. A second run finds the files and uses no
# network.
PROVISIONER_TEST_KERNEL_META="${PROVISIONER_TEST_KERNEL_META:-linux-image-amd64}"
# Driver modules copied next to the kernel, in load order (qemu's e1000 NIC; virtio-net with its
# dependencies).
PROVISIONER_TEST_KERNEL_MODULES=(e1000 failover net_failover virtio_ring virtio virtio_pci_legacy_dev
  virtio_pci_modern_dev virtio_pci virtio_net)

_provisioner_test_kernel_default_dir() {
  if ((EUID == 0)); then
    printf '%s\n' /var/lib/provisioner/lab/kernel
  else
    printf '%s\n' "${HOME:?}/.cache/provisioner/lab/kernel"
  fi
}

# Whether directory $1 holds a kernel and the driver modules.
_provisioner_test_kernel_complete() {
  [[ -s "$1/vmlinuz" && -s "$1/modules/order" && -s "$1/VERSION" ]]
}

# The versioned kernel package the metapackage depends on (linux-image-6.x-amd64).
_provisioner_test_kernel_package() {
  apt-cache depends "$PROVISIONER_TEST_KERNEL_META" 2>/dev/null \
    | sed -n 's/^ *Depends: *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -n 1 | grep .
}

provisioner_fetch_test_kernel() {
  local dir pkg work deb root vmlinuz name module
  dir="${PROVISIONER_TEST_KERNEL_DIR:-$(_provisioner_test_kernel_default_dir)}"
  if _provisioner_test_kernel_complete "$dir"; then
    export PROVISIONER_TEST_KERNEL_DIR="$dir"
    provisioner_info "test kernel $(cat "$dir/VERSION") in $dir"
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
    provisioner_die "no test kernel in $dir, and no apt to fetch one: put a vmlinuz and modules/order (with the listed .ko files) there"
    return 1
  fi
  pkg="$(_provisioner_test_kernel_package)" \
    || provisioner_die "apt knows no kernel package that $PROVISIONER_TEST_KERNEL_META depends on (apt-get update?)" \
    || return 1
  mkdir -p "$dir" || provisioner_die "cannot create $dir" || return 1
  work="$(mktemp -d "$dir/.fetch.XXXXXX")" || return 1
  provisioner_say "fetching the kernel package $pkg for the test OS (downloaded and unpacked, not installed)"
  if ! (cd "$work" && apt-get -q -o APT::Sandbox::User=root download "$pkg" >&2); then
    rm -rf "$work"
    provisioner_die "apt-get download $pkg failed: check the network"
    return 1
  fi
  deb="$(find "$work" -maxdepth 1 -name "${pkg}_*.deb" -print -quit)"
  if [[ -z "$deb" ]] || ! dpkg -x "$deb" "$work/x"; then
    rm -rf "$work"
    provisioner_die "cannot unpack the $pkg package"
    return 1
  fi
  vmlinuz="$(find "$work/x/boot" -maxdepth 1 -name 'vmlinuz-*' -print -quit)"
  root="$(find "$work/x/lib/modules" -mindepth 1 -maxdepth 1 -type d -print -quit)"
  if [[ -z "$vmlinuz" || -z "$root" ]]; then
    rm -rf "$work"
    provisioner_die "the $pkg package has no /boot/vmlinuz-* or /lib/modules"
    return 1
  fi
  mkdir -p "$work/out/modules"
  cp "$vmlinuz" "$work/out/vmlinuz"
  for name in "${PROVISIONER_TEST_KERNEL_MODULES[@]}"; do
    module="$(find "$root/kernel" -name "$name.ko" -print -quit)"
    # Built into this kernel when there is no module of that name.
    [[ -n "$module" ]] || continue
    cp "$module" "$work/out/modules/$name.ko"
    printf '%s.ko\n' "$name" >>"$work/out/modules/order"
  done
  printf '%s\n' "${root##*/}" >"$work/out/VERSION"
  # The files the completeness check looks for are put in place last.
  if ! { rm -rf "$dir/modules" && cp -r "$work/out/modules" "$dir/modules" \
    && cp "$work/out/vmlinuz" "$dir/vmlinuz" && cp "$work/out/VERSION" "$dir/VERSION"; }; then
    rm -rf "$work"
    provisioner_die "cannot write to $dir"
    return 1
  fi
  rm -rf "$work"
  export PROVISIONER_TEST_KERNEL_DIR="$dir"
  provisioner_say "test kernel $(cat "$dir/VERSION") in $dir"
}

# Run directly: set up the JDK and the packages given as arguments.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  provisioner_setup "$@"
fi
