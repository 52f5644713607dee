# Shared by ./scripts/run and ./scripts/test: install what the build needs,
# bootstrap autotools, configure and build.  Sourced, not executed.
# Every step is skipped when its result is already up to date, so the
# second run is quick.

SF_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SF_CACHE=${SF_CACHE:-$SF_TOP/cache}

# Debian packages the build, the tests and the demo need.
SF_PACKAGES=(
  build-essential autoconf automake libtool pkg-config
  libxml2-dev libyajl-dev uuid-dev libreadline-dev liburing-dev check
  liblzma-dev zlib1g-dev
  clang libclang-rt-14-dev
  qemu-system-x86 busybox-static cpio xz-utils
  libxen-dev xenstore-utils xen-utils-4.17 python3
)

sf_log() { printf '==> %s\n' "$*" >&2; }
sf_die() { printf 'error: %s\n' "$*" >&2; exit 2; }

sf_install_packages() {
  local missing=() p
  for p in "${SF_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  sf_log "installing Debian packages: ${missing[*]}"
  local sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq || sf_die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null || sf_die "apt-get install failed for: ${missing[*]}"
}

sf_configure() {
  cd "$SF_TOP" || exit 2
  if [ ! -x configure ] || [ configure.ac -nt configure ]; then
    sf_log "bootstrapping autotools"
    autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; sf_die "autoreconf failed"; }
  fi
  if [ ! -f config.status ] || [ configure -nt config.status ]; then
    sf_log "configuring"
    ./configure -q || sf_die "configure failed (see config.log)"
  fi
}

sf_build() {
  sf_log "building"
  make -s -j"$(nproc)" >/dev/null || { make -j1 2>&1 | tail -40; sf_die "build failed"; }
}

sf_setup() {
  sf_install_packages
  sf_configure
  sf_build
}
