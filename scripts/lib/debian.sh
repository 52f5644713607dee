# Reference artifacts from Debian's packages, downloaded once into the
# cache and unpacked there: Xen 4.17's hypervisor and the Linux kernel that
# linux-image-amd64 depends on.  Sourced by scripts; needs SF_CACHE.

# Download package $1 (unless cached) and unpack it; print the unpack dir.
# Tests run in parallel and may ask for the same package at once: one lock
# per package serialises them, the unpack goes to a temporary directory
# that is renamed into place, and a stamp (not the unpacked tree, whose
# mtimes come from the package) says the unpack is newer than the .deb.
sf_deb_unpack() {
  local pkg=$1 dir="$SF_CACHE/debs"
  mkdir -p "$dir" || return 1
  (
    flock 9 || exit 1
    deb=$(ls "$dir/${pkg}"_*.deb 2>/dev/null | head -1)
    if [ -z "$deb" ]; then
      (cd "$dir" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
        { apt-get update -qq >/dev/null 2>&1 && (cd "$dir" && apt-get download -q "$pkg" >/dev/null); } ||
        { echo "error: cannot download Debian package $pkg" >&2; exit 1; }
      deb=$(ls "$dir/${pkg}"_*.deb | head -1)
    fi
    out="$dir/${pkg}.root" stamp="$dir/${pkg}.root.stamp"
    if [ ! -f "$stamp" ] || [ "$deb" -nt "$stamp" ]; then
      rm -rf "$out.tmp" "$stamp" &&
        dpkg-deb -x "$deb" "$out.tmp" &&
        rm -rf "$out" && mv "$out.tmp" "$out" && touch "$stamp" ||
        { echo "error: cannot unpack $deb" >&2; exit 1; }
    fi
    echo "$out"
  ) 9>"$dir/.lock-$pkg"
}

# The ELF image of Xen 4.17 that QEMU's multiboot loader accepts.
sf_xen_image() {
  local img="$SF_CACHE/xen-4.17.elf" root
  if [ ! -s "$img" ]; then
    root=$(sf_deb_unpack xen-hypervisor-4.17-amd64) || return 1
    local gz
    gz=$(ls "$root"/boot/xen-4.17*-amd64.gz 2>/dev/null | head -1)
    [ -n "$gz" ] || { echo "error: no /boot/xen-*.gz in xen-hypervisor-4.17-amd64" >&2; return 1; }
    gzip -dc "$gz" >"$img.tmp.$$" && mv "$img.tmp.$$" "$img" || return 1
  fi
  echo "$img"
}

# The kernel package linux-image-amd64 points at (found, not hard-coded).
sf_kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null |
    awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

# The uncompressed vmlinux (ELF64 with Xen notes) of Debian's kernel.
sf_vmlinux() {
  local pkg root vmlinuz out
  pkg=$(sf_kernel_package)
  [ -n "$pkg" ] || { apt-get update -qq >/dev/null 2>&1; pkg=$(sf_kernel_package); }
  [ -n "$pkg" ] || { echo "error: cannot find the kernel package of linux-image-amd64" >&2; return 1; }
  out="$SF_CACHE/$pkg.vmlinux"
  if [ ! -s "$out" ]; then
    root=$(sf_deb_unpack "$pkg") || return 1
    vmlinuz=$(ls "$root"/boot/vmlinuz-* | head -1)
    "$SF_TOP/scripts/extract-vmlinux" "$vmlinuz" >"$out.tmp.$$" && mv "$out.tmp.$$" "$out" || return 1
  fi
  echo "$out"
}
