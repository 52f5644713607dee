# Reference artifacts from Debian's packages, downloaded once into the
# cache and unpacked there: Xen 4.17's hypervisor and the Linux kernel that
# linux-image-amd64 depends on.  Sourced by scripts; needs SF_CACHE.

# Download package $1 (unless cached) and unpack it; print the unpack dir.
sf_deb_unpack() {
  local pkg=$1 dir="$SF_CACHE/debs"
  mkdir -p "$dir"
  local deb
  deb=$(ls "$dir/${pkg}"_*.deb 2>/dev/null | head -1)
  if [ -z "$deb" ]; then
    (cd "$dir" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
      { apt-get update -qq >/dev/null 2>&1 && (cd "$dir" && apt-get download -q "$pkg" >/dev/null); } ||
      { echo "error: cannot download Debian package $pkg" >&2; return 1; }
    deb=$(ls "$dir/${pkg}"_*.deb | head -1)
  fi
  local out="$dir/${pkg}.root"
  if [ ! -d "$out" ] || [ "$deb" -nt "$out" ]; then
    rm -rf "$out" && dpkg-deb -x "$deb" "$out" || return 1
  fi
  echo "$out"
}

# The ELF image of Xen 4.17 that QEMU's multiboot loader accepts.
sf_xen_image() {
  local img="$SF_CACHE/xen-4.17.elf" root
  if [ ! -s "$img" ]; then
    root=$(sf_deb_unpack xen-hypervisor-4.17-amd64) || return 1
    local gz
    gz=$(ls "$root"/boot/xen-4.17*-amd64.gz 2>/dev/null | head -1)
    [ -n "$gz" ] || { echo "error: no /boot/xen-*.gz in xen-hypervisor-4.17-amd64" >&2; return 1; }
    gzip -dc "$gz" >"$img.tmp" && mv "$img.tmp" "$img" || return 1
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
    "$SF_TOP/scripts/extract-vmlinux" "$vmlinuz" >"$out.tmp" && mv "$out.tmp" "$out" || return 1
  fi
  echo "$out"
}
