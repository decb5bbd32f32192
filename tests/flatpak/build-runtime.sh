#!/usr/bin/env bash
# Builds a Flatpak runtime and SDK from Debian 12 packages and installs both
# for the current user, so that Genokey's Flatpak can be built and run in a
# real sandbox on a machine that cannot reach Flathub.
#
#   tests/flatpak/build-runtime.sh
#
# The runtime is io.github.genokey.TestPlatform//12 and the SDK
# io.github.genokey.TestSdk//12. They stand in for org.gnome.Platform and
# org.gnome.Sdk: same libraries Genokey links (GTK 4, libadwaita, libsoup 3,
# json-glib, libsecret, OpenSSL, glib-networking), older versions (GTK 4.8,
# libadwaita 1.2), which Genokey also supports.
#
# Everything is kept under $GK_FLATPAK_CACHE (default
# /var/cache/genokey-flatpak): the downloaded .debs, the trees and the OSTree
# repository. A second run with an unchanged script only checks that both are
# installed (seconds); a changed script rebuilds. Disk: 1.4 GB here and
# 1.1 GB installed, plus 2.5 GB of trees while building.
#
# Traps (see DESIGN.md section 9, and found here: `flatpak build` sets
# LC_ALL=en_US.utf8, so that locale must exist): debootstrap does not resolve "A | B"
# dependencies, so the alternatives are named here; without libgl1 and
# libopengl0 GTK aborts at start; /etc files the sandbox provides itself
# (resolv.conf, hosts, machine-id, …) must not be in the runtime; Debian's
# /etc/os-release is a relative link to ../usr/lib/os-release, which points
# nowhere once etc/ is mounted at /usr/etc.
#
# One library is not Debian 12's: libsecret. Debian 12 ships 0.20.5, whose
# file backend (the one used inside a sandbox) subscribes to the Secret
# portal's Response signal only after RetrieveSecret has returned, so a fast
# answer is lost and the call waits forever (GNOME/libsecret#58, fixed in
# 0.21.4). About 1 in 8 sandboxed calls hung that way. The GNOME runtime
# ships a fixed libsecret, so to test what users get, libsecret 0.21.7
# (Debian 13's source tarball, checked against its md5) is built here and
# replaces 0.20.5 in both the runtime and the SDK.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${GK_FLATPAK_CACHE:-/var/cache/genokey-flatpak}
branch=12
platform_id=io.github.genokey.TestPlatform
sdk_id=io.github.genokey.TestSdk
arch=$(flatpak --default-arch)
suite=bookworm

# Packages of the runtime. GTK 4 and libadwaita pull in most of the rest;
# named here: the "A | B" alternatives debootstrap will not pick, GL, the
# TLS backend for libsoup, icons, fonts and what `flatpak run` expects.
runtime_packages=(
  libgtk-4-1 libgtk-4-bin libgtk-4-common libadwaita-1-0
  libsoup-3.0-0 libjson-glib-1.0-0 libsecret-1-0 libssl3 zlib1g
  glib-networking libglib2.0-bin libglib2.0-0 gsettings-desktop-schemas
  dconf-gsettings-backend ca-certificates shared-mime-info
  libgl1 libopengl0 libegl1 libgles2 libglx-mesa0 libegl-mesa0 libgl1-mesa-dri
  libgdk-pixbuf-2.0-0 libgdk-pixbuf2.0-common librsvg2-common
  adwaita-icon-theme hicolor-icon-theme fonts-cantarell fonts-dejavu-core
  fontconfig dbus-x11 dbus-user-session dbus locales
)
# The SDK: the runtime plus what Genokey's meson build and its tests need.
sdk_packages=(
  gcc libc6-dev pkg-config meson ninja-build gettext itstool
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libssl-dev zlib1g-dev
  libgcrypt20-dev
  desktop-file-utils appstream appstream-util elfutils binutils libxml2-utils
  python3
)

# libsecret replacing Debian 12's 0.20.5 (see the top of this file).
libsecret_version=0.21.7
libsecret_tarball=libsecret_$libsecret_version.orig.tar.xz
libsecret_md5=7a938a802a3c17df441fbd0358866e99

# The script's own text decides whether the cached build is still good
# (so changing anything here, libsecret's version included, rebuilds).
stamp=$(cat "$0" | sha256sum | cut -c1-16)
if [ -f "$cache/stamp" ] && [ "$(cat "$cache/stamp")" = "$stamp" ] &&
   flatpak --user info "$platform_id//$branch" >/dev/null 2>&1 &&
   flatpak --user info "$sdk_id//$branch" >/dev/null 2>&1; then
  echo "build-runtime: $platform_id and $sdk_id //$branch are installed and current"
  exit 0
fi

started=$(date +%s)
log () { echo "build-runtime: [$(( $(date +%s) - started )) s] $*"; }

# The Debian mirror apt already uses.
mirror=$(apt-get indextargets --format '$(SITE) $(CODENAME)' 'Created-By: Packages' 2>/dev/null |
  awk -v s="$suite" '$2 == s { print $1; exit }')
mirror=${mirror:-http://deb.debian.org/debian}
log "mirror $mirror, cache $cache"

mkdir -p "$cache/debs" "$cache/apt-archives/partial"
# A run that was killed may have left /dev or /proc mounted in the old tree.
findmnt -rn -o TARGET | grep -F "$cache/work/" | sort -r | xargs -r -n1 umount -l || true
rm -rf --one-file-system "$cache/work"
mkdir -p "$cache/work"
rootfs=$cache/work/rootfs
sdkfs=$cache/work/sdkfs

join () { local IFS=,; echo "$*"; }

log "debootstrap --variant=minbase $suite"
# dpkg syncs every file it writes; for a tree that is thrown away on failure
# that only costs minutes. Dropped again before the tree becomes a runtime.
mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d"
echo force-unsafe-io > "$rootfs/etc/dpkg/dpkg.cfg.d/genokey-unsafe-io"
debootstrap --variant=minbase --merged-usr --cache-dir="$cache/debs" \
  --include="$(join "${runtime_packages[@]}")" \
  "$suite" "$rootfs" "$mirror" > "$cache/work/debootstrap.log" 2>&1 ||
  { tail -40 "$cache/work/debootstrap.log"; exit 1; }
# Anything debootstrap left unconfigured or unresolved would break the SDK
# step below; say so now.
chroot "$rootfs" dpkg --audit
# `flatpak build` (and so flatpak-builder, and the app's tests in it) runs
# with LC_ALL=en_US.utf8, which the GNOME runtime has; without it every
# program falls back to the C locale and multibyte text breaks.
sed -i 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' "$rootfs/etc/locale.gen"
chroot "$rootfs" locale-gen > /dev/null

log "SDK: copy and apt-get install ${#sdk_packages[@]} packages"
cp -a "$rootfs" "$sdkfs"
cleanup_mounts () {
  for m in "$sdkfs/var/cache/apt/archives" "$sdkfs/proc" "$sdkfs/dev"; do
    mountpoint -q "$m" && umount -l "$m" || true
  done
}
trap cleanup_mounts EXIT
mount --bind /dev "$sdkfs/dev"
mount -t proc proc "$sdkfs/proc"
mount --bind "$cache/apt-archives" "$sdkfs/var/cache/apt/archives"
cp /etc/resolv.conf "$sdkfs/etc/resolv.conf" 2>/dev/null || true
chroot "$sdkfs" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends ${sdk_packages[*]}" \
  > "$cache/work/sdk-apt.log" 2>&1 || { tail -40 "$cache/work/sdk-apt.log"; exit 1; }

# libsecret 0.21.7, built inside the SDK tree with chroot: there the
# compiler, headers and libraries (glib, libgcrypt) are exactly the
# runtime's, so the result links to nothing the runtime lacks. (The host is
# Debian 12 too, but may carry other versions or extra -dev packages.)
# The tarball is kept in the cache; a download that does not match the md5
# is thrown away.
tarball=$cache/sources/$libsecret_tarball
mkdir -p "$cache/sources"
if ! echo "$libsecret_md5  $tarball" | md5sum -c --status 2>/dev/null; then
  log "download $libsecret_tarball"
  rm -f "$tarball"
  for site in "$mirror" http://deb.debian.org/debian; do
    curl -fsSL --retry 3 -o "$tarball.part" \
      "$site/pool/main/libs/libsecret/$libsecret_tarball" && break
  done
  echo "$libsecret_md5  $tarball.part" | md5sum -c --status ||
    { echo "build-runtime: $libsecret_tarball: download failed or md5 differs" >&2; exit 1; }
  mv "$tarball.part" "$tarball"
fi
log "libsecret $libsecret_version: build in the SDK tree"
libdir=$(cd "$rootfs" && dirname usr/lib/*/libsecret-1.so.0) # usr/lib/<multiarch>
rm -rf "$sdkfs/tmp/libsecret"
mkdir -p "$sdkfs/tmp/libsecret"
tar -xf "$tarball" -C "$sdkfs/tmp/libsecret"
chroot "$sdkfs" sh -c "cd /tmp/libsecret/libsecret-$libsecret_version &&
  meson setup /tmp/libsecret/build --prefix=/usr --libdir=${libdir#usr/} \
    --buildtype=release -Dcrypto=libgcrypt -Dintrospection=false -Dvapi=false \
    -Dgtk_doc=false -Dmanpage=false -Dbash_completion=disabled -Dtpm2=false -Dpam=false &&
  ninja -C /tmp/libsecret/build &&
  DESTDIR=/tmp/libsecret/dest meson install -C /tmp/libsecret/build --no-rebuild" \
  > "$cache/work/libsecret.log" 2>&1 || { tail -40 "$cache/work/libsecret.log"; exit 1; }
cleanup_mounts
trap - EXIT
# The SDK gets all of it (library, headers, .pc, secret-tool, translations);
# the runtime what Debian's libsecret-1-0 and libsecret-common hold: the
# library and the translations. Same file names as 0.20.5's
# (libsecret-1.so.0 -> libsecret-1.so.0.0.0), so these overwrite them.
dest=$sdkfs/tmp/libsecret/dest
cp -a "$dest/usr/." "$sdkfs/usr/"
cp -a "$dest/$libdir/"libsecret-1.so.0* "$rootfs/$libdir/"
cp -a "$dest/usr/share/locale" "$rootfs/usr/share/"
rm -rf "$sdkfs/tmp/libsecret"
cmp "$rootfs/$libdir/libsecret-1.so.0.0.0" "$sdkfs/$libdir/libsecret-1.so.0.0.0"
[ "$(chroot "$sdkfs" pkg-config --modversion libsecret-1)" = "$libsecret_version" ] ||
  { echo "build-runtime: the SDK's libsecret-1.pc is not $libsecret_version" >&2; exit 1; }
if chroot "$rootfs" ldd "/$libdir/libsecret-1.so.0" | grep -F 'not found'; then
  echo "build-runtime: libsecret $libsecret_version needs libraries the runtime lacks" >&2; exit 1
fi
log "libsecret $libsecret_version installed in the runtime and the SDK"
rm -f "$rootfs/etc/dpkg/dpkg.cfg.d/genokey-unsafe-io" "$sdkfs/etc/dpkg/dpkg.cfg.d/genokey-unsafe-io"

# Turns a Debian tree into a Flatpak runtime directory: usr/ is files/,
# etc/ is files/etc, plus metadata.
make_runtime () { # tree, id, directory
  local tree=$1 id=$2 dir=$3
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -a "$tree/usr" "$dir/files"
  cp -a "$tree/etc" "$dir/files/etc"
  # The sandbox brings its own copies of these.
  rm -f "$dir/files/etc/"{resolv.conf,hosts,hostname,machine-id,passwd,group,shadow,gshadow,localtime,timezone,host.conf,gai.conf,mtab,subuid,subgid}
  rm -f "$dir/files/etc/"{passwd,group,shadow,gshadow}-
  rm -rf "$dir/files/var" "$dir/files/etc/apt/apt.conf.d/01autoremove-kernels"
  # etc/ is mounted at /usr/etc: re-point the relative link.
  rm -f "$dir/files/etc/os-release"
  cp "$tree/usr/lib/os-release" "$dir/files/etc/os-release"
  # No setuid or device files in an OSTree commit.
  find "$dir/files" -perm /6000 -type f -exec chmod ug-s {} +
  find "$dir/files" \( -type b -o -type c -o -type p -o -type s \) -delete
  cat > "$dir/metadata" <<EOF
[Runtime]
name=$id
runtime=$id/$arch/$branch
sdk=$sdk_id/$arch/$branch
EOF
}

log "runtime trees"
make_runtime "$rootfs" "$platform_id" "$cache/work/platform"
make_runtime "$sdkfs" "$sdk_id" "$cache/work/sdk"

repo=$cache/repo
rm -rf "$repo"
# An uncompressed repository: the default (archive) mode spends minutes
# compressing 2 GB that is only ever pulled from this same disk.
ostree init --repo="$repo" --mode=bare-user-only
log "flatpak build-export --runtime"
flatpak build-export --runtime --disable-sandbox --no-update-summary --files=files \
  "$repo" "$cache/work/platform" "$branch" > /dev/null &
export_platform=$!
flatpak build-export --runtime --disable-sandbox --no-update-summary --files=files \
  "$repo" "$cache/work/sdk" "$branch" > /dev/null
wait "$export_platform"
flatpak build-update-repo "$repo" > /dev/null

log "install for the user"
flatpak --user remote-delete --force genokey-test-runtime >/dev/null 2>&1 || true
flatpak --user remote-add --no-gpg-verify genokey-test-runtime "$repo"
flatpak --user install -y --noninteractive --reinstall genokey-test-runtime \
  "$platform_id//$branch" "$sdk_id//$branch" > /dev/null

# The unpacked trees are no longer needed: the repo and the installation
# hold everything.
rm -rf --one-file-system "$cache/work"
echo "$stamp" > "$cache/stamp"
log "done: $platform_id//$branch and $sdk_id//$branch installed"
