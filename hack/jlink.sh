#!/usr/bin/env bash
# Builds the operator's trimmed Java runtime into operator/target/jre: the very runtime the
# container image ships (the Dockerfile runs this script), so it can be tried without a container
# engine: operator/target/jre/bin/java -cp 'operator/target/runtime-policy-operator.jar:operator/target/lib/*' ...
#
# The modules are what jdeps finds in the operator jar and its lib/ classpath, plus those that are
# only loaded by name at run time and that jdeps cannot see:
#   jdk.crypto.ec   elliptic-curve TLS (ECDHE key exchange, EC certificates) for the API server
#                   and the webhook server; without it TLS handshakes fail
#   jdk.naming.dns  JNDI DNS, which Netty's resolver uses to read the cluster's name servers
#
# Needs a JDK 17 with jlink and jmods/ (Debian: openjdk-17-jmods; Temurin JDKs ship them). Set
# JLINK_JDK=/path/to/jdk to choose one. As root, the Debian package is installed when missing.
# Usage: hack/jlink.sh   (after: mvn -q -o -pl operator -am package -DskipTests)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
target="$root/operator/target"
out="$target/jre"
java_release=17
extra_modules=(jdk.crypto.ec jdk.naming.dns)

die() { echo "jlink: $*" >&2; exit 1; }
log() { echo "jlink: $*" >&2; }

[ -f "$target/runtime-policy-operator.jar" ] && [ -d "$target/lib" ] \
  || die "no operator build in $target; run: mvn -q -o -pl operator -am package -DskipTests"

usable_jdk() {
  local home=$1
  [ -x "$home/bin/jlink" ] && [ -x "$home/bin/jdeps" ] && [ -f "$home/jmods/java.base.jmod" ] \
    && "$home/bin/java" -version 2>&1 | grep -q "version \"$java_release[.\"]"
}

find_jdk() {
  local candidate
  for candidate in "${JLINK_JDK:-}" "${JAVA_HOME:-}" /usr/lib/jvm/java-$java_release-openjdk-* \
    /usr/lib/jvm/temurin-$java_release-* /usr/lib/jvm/* /opt/java/openjdk /opt/*; do
    [ -n "$candidate" ] && [ -d "$candidate" ] && usable_jdk "$candidate" && { echo "$candidate"; return 0; }
  done
  return 1
}

jdk=$(find_jdk) || {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "no JDK $java_release with jmods found; installing openjdk-$java_release-jmods"
    apt-get install -y -q "openjdk-$java_release-jmods" >&2 \
      || { apt-get update -q >&2 && apt-get install -y -q "openjdk-$java_release-jmods" >&2; } \
      || die "apt-get install openjdk-$java_release-jmods failed"
    jdk=$(find_jdk) || die "still no JDK $java_release with jlink and jmods after installing openjdk-$java_release-jmods"
  else
    die "no JDK $java_release with jlink and jmods/ found (looked at JLINK_JDK, JAVA_HOME, /usr/lib/jvm/*, /opt/*); install openjdk-$java_release-jmods (Debian) or a Temurin $java_release JDK, or set JLINK_JDK"
  fi
}
log "using $jdk"

# jdeps warns about split packages in some jars; only its last line, the module list, matters.
found=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release "$java_release" \
  "$target/runtime-policy-operator.jar" "$target"/lib/*.jar 2>/dev/null | tail -n 1)
[[ "$found" =~ ^java\.base ]] || die "jdeps did not print a module list (got: $found)"
modules=$(printf '%s\n' ${found//,/ } "${extra_modules[@]}" | sort -u | paste -sd, -)

rm -rf "$out"
# --generate-cds-archive: the runtime's own classes archived once (class-data sharing, as a full
# JDK ships them), so each start maps them instead of loading them; the runtime phase of
# `make bench` measures it against -Xshare:off (docs/performance.md).
"$jdk/bin/jlink" --add-modules "$modules" --output "$out" \
  --strip-debug --no-man-pages --no-header-files --compress=2 --generate-cds-archive
# The archive for heaps over 32 GiB (uncompressed pointers) is never used by the operator: 10 MB less.
rm -f "$out/lib/server/classes_nocoops.jsa"
echo "$modules" >"$target/jre-modules.txt"

# The operator's own classes archived too (AppCDS, static): the classes a start, a reconcile and
# an admission load, as listed by `make bench BENCH_ARGS=--phases=classlist` into the class list
# below, dumped for this very runtime and jar. The operator runs with it by
# -XX:SharedArchiveFile (the image's entrypoint, OperatorProcess locally); a JVM that finds the jar
# changed since the dump ignores the archive's classes silently, so a stale archive costs only
# the speed-up. docs/performance.md, "the operator's own JVM".
classlist="$root/operator/src/main/cds/operator.classlist"
archive="$target/runtime-policy-operator.jsa"
rm -f "$archive"
if [ -f "$classlist" ]; then
  "$out/bin/java" -Xshare:dump -XX:SharedClassListFile="$classlist" -XX:SharedArchiveFile="$archive" \
    -jar "$target/runtime-policy-operator.jar" >"$target/cds-dump.log" 2>&1 \
    || die "the operator's class-data archive could not be dumped; see $target/cds-dump.log"
  log "operator classes archived: $archive $(du -sm "$archive" | cut -f1) MB"
fi

log "modules: $modules"
echo "$out $(du -sm "$out" | cut -f1) MB"
