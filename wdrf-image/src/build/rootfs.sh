#!/usr/bin/env bash
# Lays out the image's root filesystem (everything but the jar) for Jib's extraDirectories:
#   opt/jre          jlink of the build JDK: the modules of deploy/docker/Dockerfile, nothing else
#   lib, lib64, usr  the shared libraries that runtime links against, extracted from Debian packages
#                    (glibc, libgcc, libstdc++, zlib; the versions installed on the build machine, i.e. the ones the
#                    build JDK itself runs with)
#   etc              passwd/group with the non-root user 65532, nsswitch.conf
#   tmp              mount point of the emptyDir (the root filesystem is read-only in the Deployment)
# Usage: rootfs.sh OUT_DIR JAVA_HOME
# Reproducible: same JDK + same package versions => same bytes (Jib fixes timestamps and ownership).
set -euo pipefail
out=$1
java_home=$2
work="$(dirname "$out")/image-work"
rm -rf "$out" "$work"
mkdir -p "$out" "$work/debs" "$work/x"
# Jib reads the (empty) classes directory of this module even though everything comes from extraDirectories.
mkdir -p "$(dirname "$out")/classes"

# Keep in sync with deploy/docker/Dockerfile (which explains each module).
modules=java.base,java.logging,java.xml,java.naming,java.sql,java.desktop,java.management,jdk.management,jdk.httpserver,jdk.unsupported,jdk.crypto.ec,java.net.http
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --output "$out/opt/jre"

arch=$(dpkg --print-architecture)
pkgs=()
for p in libc6 libgcc-s1 libstdc++6 zlib1g; do
    v=$(dpkg-query -W -f '${Version}' "$p:$arch")
    pkgs+=("$p:$arch=$v")
done
download() { (cd "$work/debs" && apt-get download -q "${pkgs[@]}"); }
if ! download >"$work/apt.log" 2>&1; then
    # package lists missing or stale (a fresh machine): refresh once
    apt-get update -q >>"$work/apt.log" 2>&1 || true
    download >>"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; echo "rootfs.sh: apt-get download ${pkgs[*]} failed" >&2; exit 1; }
fi
for d in "$work"/debs/*.deb; do
    dpkg-deb -x "$d" "$work/x"
done
(cd "$work/debs" && sha256sum ./*.deb) > "$out/../image-packages.sha256"

# Only the shared objects (and the dynamic loader); no shells, no tools, no docs, no gconv modules.
# Symlinks are resolved (cp -L): Jib stores regular files.
triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -dumpmachine)
copy_libs() { # SRC_DIR DEST_DIR
    [ -d "$1" ] || return 0
    mkdir -p "$2"
    local targets
    targets=$(find "$1" -maxdepth 1 -type l -exec readlink -f {} \; | sort -u)
    find "$1" -maxdepth 1 \( -type f -o -type l \) -name '*.so*' | sort | while read -r f; do
        # a file some symlink points to is stored once, under the symlink's (the soname's) name
        if [ -f "$f" ] && [ ! -L "$f" ] && grep -qxF "$(readlink -f "$f")" <<<"$targets"; then
            continue
        fi
        cp -L "$f" "$2/$(basename "$f")"
    done
}
copy_libs "$work/x/lib/$triplet" "$out/lib/$triplet"
copy_libs "$work/x/usr/lib/$triplet" "$out/usr/lib/$triplet"
copy_libs "$work/x/lib64" "$out/lib64"
# libstdc++'s gdb helper scripts and static leftovers are not needed
find "$out/usr/lib" -name '*.py' -delete

mkdir -p "$out/etc" "$out/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/nonexistent:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$out/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$out/etc/nsswitch.conf"
rm -rf "$work/x"
echo "rootfs.sh: $(du -sh "$out" | cut -f1) in $out (${pkgs[*]})"
