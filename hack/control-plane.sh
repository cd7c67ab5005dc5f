#!/usr/bin/env bash
# Makes the pinned Kubernetes control plane (kube-apiserver, etcd, kubectl) and helm available in
# kube-api-test's offline layout, building them from Go modules: nothing is downloaded from outside
# the Go module proxy. Idempotent: with the binaries present it only checks them and exits.
#
# Versions come from the root pom.xml (one source of truth for the script and for Maven):
#   kube.version, etcd.version, helm.version
# Layout (what kube-api-test expects in offline mode):
#   $KUBE_API_TEST_DIR/k8s/<kube.version>-linux-amd64/{kube-apiserver,etcd,kubectl}
#   $KUBE_API_TEST_DIR/helm/<helm.version>/helm
# Usage: hack/control-plane.sh [--print-env]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml" | head -n 1; }

KUBE_VERSION=$(prop kube.version)
ETCD_VERSION=$(prop etcd.version)
HELM_VERSION=$(prop helm.version)
: "${KUBE_API_TEST_DIR:=$HOME/.kubeapitest}"
arch=amd64
case "$(uname -m)" in aarch64|arm64) arch=arm64 ;; esac
bin_dir="$KUBE_API_TEST_DIR/k8s/${KUBE_VERSION}-linux-${arch}"
helm_dir="$KUBE_API_TEST_DIR/helm/${HELM_VERSION}"

die() { echo "control-plane: $*" >&2; exit 1; }
log() { echo "control-plane: $*" >&2; }

[ -n "$KUBE_VERSION" ] && [ -n "$ETCD_VERSION" ] && [ -n "$HELM_VERSION" ] \
  || die "could not read kube.version, etcd.version and helm.version from $root/pom.xml"

print_env() {
  echo "KUBE_API_TEST_DIR=$KUBE_API_TEST_DIR"
  echo "KUBE_API_TEST_API_SERVER_VERSION=$KUBE_VERSION"
  echo "CONTROL_PLANE_BIN=$bin_dir"
  echo "HELM_VERSION=$HELM_VERSION"
  echo "HELM_BIN=$helm_dir/helm"
}

have_all() {
  [ -x "$bin_dir/kube-apiserver" ] && [ -x "$bin_dir/etcd" ] && [ -x "$bin_dir/kubectl" ] \
    && [ -x "$helm_dir/helm" ]
}

if have_all; then
  [ "${1:-}" = "--print-env" ] && print_env
  exit 0
fi

command -v go >/dev/null 2>&1 \
  || die "Go is needed to build kube-apiserver, etcd, kubectl and helm (none found on PATH); install Go >= 1.25, or point KUBE_API_TEST_DIR at a directory that already holds $KUBE_VERSION-linux-$arch/{kube-apiserver,etcd,kubectl} and helm/$HELM_VERSION/helm"

mkdir -p "$KUBE_API_TEST_DIR"
# One build at a time: parallel Maven modules or a second shell may call this script too.
exec 9>"$KUBE_API_TEST_DIR/.control-plane.lock"
flock 9
if have_all; then
  [ "${1:-}" = "--print-env" ] && print_env
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
minor=${KUBE_VERSION#*.}; minor=${minor%%.*}

# k8s.io/kubernetes points its staging modules at local directories; a throwaway main module
# replaces each one with its published v0.<minor>.<patch> release.
build_kube() {
  local mod="$work/kube" staging
  mkdir -p "$mod" && cd "$mod"
  go mod init example.invalid/kube-build >/dev/null 2>&1
  go mod edit -require="k8s.io/kubernetes@v$KUBE_VERSION"
  go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" >"$work/kube.json" \
    || die "go mod download k8s.io/kubernetes@v$KUBE_VERSION failed"
  local gomod
  gomod=$(sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' "$work/kube.json")
  for staging in $(sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod"); do
    go mod edit -replace="$staging=$staging@v0.${KUBE_VERSION#*.}"
  done
  local pkg=k8s.io/component-base/version date
  date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local ldflags="-s -w -X $pkg.gitVersion=v$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
  ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=v$KUBE_VERSION"
  ldflags+=" -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
  for cmd in kube-apiserver kubectl; do
    log "building $cmd v$KUBE_VERSION (a cold build takes several minutes)"
    go build -trimpath -ldflags "$ldflags" -o "$work/out/$cmd" "k8s.io/kubernetes/cmd/$cmd" \
      || die "building $cmd v$KUBE_VERSION failed (see the Go output above)"
  done
}

build_etcd() {
  local mod="$work/etcd"
  mkdir -p "$mod" && cd "$mod"
  go mod init example.invalid/etcd-build >/dev/null 2>&1
  go mod edit -require="go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
  log "building etcd v$ETCD_VERSION"
  go build -trimpath -ldflags "-s -w" -o "$work/out/etcd" go.etcd.io/etcd/server/v3 \
    || die "building etcd v$ETCD_VERSION failed (see the Go output above)"
}

build_helm() {
  local mod="$work/helm" major=${HELM_VERSION%%.*}
  mkdir -p "$mod" && cd "$mod"
  go mod init example.invalid/helm-build >/dev/null 2>&1
  go mod edit -require="helm.sh/helm/$major@$HELM_VERSION"
  local pkg="helm.sh/helm/$major/internal/version"
  log "building helm $HELM_VERSION"
  go build -trimpath -ldflags "-s -w -X $pkg.version=$HELM_VERSION -X $pkg.gitTreeState=clean" \
    -o "$work/out/helm" "helm.sh/helm/$major/cmd/helm" \
    || die "building helm $HELM_VERSION failed (see the Go output above)"
}

mkdir -p "$work/out"
start=$(date +%s)
[ -x "$bin_dir/kube-apiserver" ] && [ -x "$bin_dir/kubectl" ] || build_kube
[ -x "$bin_dir/etcd" ] || build_etcd
[ -x "$helm_dir/helm" ] || build_helm

mkdir -p "$bin_dir" "$helm_dir"
for f in kube-apiserver kubectl etcd; do
  [ -f "$work/out/$f" ] && mv "$work/out/$f" "$bin_dir/$f"
done
[ -f "$work/out/helm" ] && mv "$work/out/helm" "$helm_dir/helm"
have_all || die "binaries missing after the build in $bin_dir and $helm_dir"
log "ready in $(( $(date +%s) - start ))s: $bin_dir, $helm_dir/helm"
[ "${1:-}" = "--print-env" ] && print_env
exit 0
