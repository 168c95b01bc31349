#!/usr/bin/env bash
# make deb: build/twauth_VERSION_ARCH.deb, by hand rather than with
# debhelper (the tree has no debian/ source package): a binary built with
# Debian's hardening flags, laid out by make install, then what
# dh_strip, dh_installman, dh_installchangelogs, dh_md5sums,
# dh_shlibdeps and dh_installsystemd would have done, each step below
# named after the one it stands for.
#   VERSION  what twauth --version prints (src/cli/main.c), a native
#            version: no Debian revision, so the changelog is changelog.gz
#   ARCH     dpkg --print-architecture
#   Depends  computed by dpkg-shlibdeps from the libraries the binary links
# The unit goes to /lib/systemd/system, not /usr/lib: Debian 12 keeps
# packages' files out of the aliased /usr paths until its /usr merge is
# done, and its lintian says so.  Everything is made in build/deb/, laid
# out as debhelper would (the package's tree in build/deb/debian/twauth),
# and made anew each time.
# Environment: MAKE, and DEB_MAINTAINER (the package's Maintainer field).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=packaging/debian
deb=build/deb
build=$deb/build
root=$deb/debian/twauth
make=${MAKE:-make}
maintainer=${DEB_MAINTAINER:-twauth maintainers <twauth@example.org>}

# One date for the changelog and the files' times: the last commit's, so two
# builds of one commit make the same package.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH

# The binary, with Debian's flags for a package (stack protector,
# fortified functions, full RELRO, bind now, PIE) on top of the project's,
# in a build directory of its own so that build/ keeps its flags.  The
# Makefile appends its own CFLAGS and LDFLAGS to these; they stay exported
# for make install below, which would otherwise rebuild without them.
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
export CFLAGS LDFLAGS
"$make" --no-print-directory BUILD="$build" all

version=$("$build/twauth" --version)
version=${version#twauth }
if ! [[ $version =~ ^[0-9][A-Za-z0-9.+~]*$ ]]; then
	echo "mkdeb: '$version' (twauth --version) is not a native Debian version" >&2
	exit 1
fi
arch=$(dpkg --print-architecture)
out=build/twauth_${version}_${arch}.deb

rm -rf "$root"
"$make" --no-print-directory BUILD="$build" DESTDIR="$root" PREFIX=/usr \
    UNITDIR=/lib/systemd/system install

# dh_strip: no symbols in the package (a debug package is not made).
strip --remove-section=.comment --remove-section=.note --strip-unneeded \
    "$root/usr/bin/twauth"

# dh_installman, dh_installdocs, dh_installchangelogs: compressed without
# a name or a time in the gzip header.
gzip -9n "$root/usr/share/man/man1/twauth.1"
doc=$root/usr/share/doc/twauth
install -d "$doc"
# The years of the copyright notice: the first commit's to the last's.
last=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y)
first=$(git log --max-parents=0 --format=%cd --date=format:%Y 2>/dev/null | sort |
    awk 'NR == 1' || true)
years=${first:-$last}
[ "$years" = "$last" ] || years=$years-$last
sed -e "s|@YEARS@|$years|" "$here/copyright.in" > "$doc/copyright"
sed -e "s|@VERSION@|$version|g" -e "s|@MAINTAINER@|$maintainer|g" \
    -e "s|@DATE@|$(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")|g" \
    "$here/changelog.in" | gzip -9n > "$doc/changelog.gz"

# dh_fixperms: directories and programs 0755, everything else 0644; the
# owner is root (dpkg-deb --root-owner-group), whoever builds.
find "$root" -type d -exec chmod 0755 {} +
find "$root" -type f -exec chmod 0644 {} +
chmod 0755 "$root/usr/bin/twauth"

# dh_shlibdeps: dpkg-shlibdeps wants a debian/control beside the
# package's tree (it only needs the binary package's name in it), and a
# DEBIAN/ in that tree.
install -d -m 0755 "$root/DEBIAN"
printf 'Source: twauth\n\nPackage: twauth\nArchitecture: any\n' > "$deb/debian/control"
depends=$(cd "$deb" && dpkg-shlibdeps -O -edebian/twauth/usr/bin/twauth |
    sed -n 's/^shlibs:Depends=//p')
if [ -z "$depends" ]; then
	echo "mkdeb: dpkg-shlibdeps found no dependencies for usr/bin/twauth" >&2
	exit 1
fi

# dh_gencontrol's Installed-Size: KiB, each file rounded up, one for
# anything else.
size=$(find "$root" -mindepth 1 -printf '%y %s\n' |
    awk '{ n += ($1 == "f") ? int(($2 + 1023) / 1024) : 1 } END { print n }')

# DEBIAN/: control, the config file as a conffile (an upgrade asks before
# it replaces an edited one), md5sums, maintainer scripts.
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@MAINTAINER@|$maintainer|" \
    -e "s|@INSTALLED_SIZE@|$size|" -e "s|@DEPENDS@|$depends|" \
    "$here/control.in" > "$root/DEBIAN/control"
echo /etc/twauth/twauth.conf > "$root/DEBIAN/conffiles"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z |
    xargs -0 md5sum) > "$root/DEBIAN/md5sums"
for script in postinst prerm postrm; do
	install -m 0755 "$here/$script" "$root/DEBIAN/$script"
done
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"

dpkg-deb --root-owner-group --build "$root" "$out"
