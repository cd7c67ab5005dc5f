#!/usr/bin/env bash
# Makes the pinned Kubernetes control plane (kube-apiserver, etcd, kubectl, and for the full
# cluster kube-controller-manager, kube-scheduler and kwok), helm and the Vertical Pod Autoscaler's
# admission controller available in kube-api-test's
# offline layout, building them from Go modules: nothing is downloaded from outside the Go module
# proxy. Idempotent: with the binaries present it only checks them and exits; a machine missing
# some builds only those.
#
# Versions come from the root pom.xml (one source of truth for the script and for Maven):
#   kube.version, etcd.version, helm.version, kwok.version, vpa.version
# Layout (what kube-api-test expects in offline mode, plus kwok beside it):
#   $KUBE_API_TEST_DIR/k8s/<kube.version>-linux-amd64/{kube-apiserver,etcd,kubectl,
#                                                       kube-controller-manager,kube-scheduler}
#   $KUBE_API_TEST_DIR/helm/<helm.version>/helm
#   $KUBE_API_TEST_DIR/kwok/<kwok.version>/kwok and stages/*.yaml (kwok's own stage configs)
#   $KUBE_API_TEST_DIR/vpa/<vpa.version>/vpa-admission-controller and crds/vpa-v1-crd-gen.yaml
# Usage: hack/control-plane.sh [--print-env]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml" | head -n 1; }

KUBE_VERSION=$(prop kube.version)
ETCD_VERSION=$(prop etcd.version)
HELM_VERSION=$(prop helm.version)
KWOK_VERSION=$(prop kwok.version)
VPA_VERSION=$(prop vpa.version)
: "${KUBE_API_TEST_DIR:=$HOME/.kubeapitest}"
arch=amd64
case "$(uname -m)" in aarch64|arm64) arch=arm64 ;; esac
bin_dir="$KUBE_API_TEST_DIR/k8s/${KUBE_VERSION}-linux-${arch}"
helm_dir="$KUBE_API_TEST_DIR/helm/${HELM_VERSION}"
kwok_dir="$KUBE_API_TEST_DIR/kwok/${KWOK_VERSION}"
vpa_dir="$KUBE_API_TEST_DIR/vpa/${VPA_VERSION}"
vpa_module=k8s.io/autoscaler/vertical-pod-autoscaler
kube_cmds="kube-apiserver kubectl kube-controller-manager kube-scheduler"
# The stages the full cluster needs, as they sit in the kwok module: nodes become Ready and keep
# their heartbeat; pods become Running and Ready, complete, and go when deleted.
kwok_stages="node/fast/node-initialize.yaml node/heartbeat/node-heartbeat.yaml
  pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml"

die() { echo "control-plane: $*" >&2; exit 1; }
log() { echo "control-plane: $*" >&2; }

[ -n "$KUBE_VERSION" ] && [ -n "$ETCD_VERSION" ] && [ -n "$HELM_VERSION" ] && [ -n "$KWOK_VERSION" ] \
  && [ -n "$VPA_VERSION" ] \
  || die "could not read kube.version, etcd.version, helm.version, kwok.version and vpa.version from $root/pom.xml"

print_env() {
  echo "KUBE_API_TEST_DIR=$KUBE_API_TEST_DIR"
  echo "KUBE_API_TEST_API_SERVER_VERSION=$KUBE_VERSION"
  echo "CONTROL_PLANE_BIN=$bin_dir"
  echo "HELM_VERSION=$HELM_VERSION"
  echo "HELM_BIN=$helm_dir/helm"
  echo "KWOK_VERSION=$KWOK_VERSION"
  echo "KWOK_BIN=$kwok_dir/kwok"
  echo "KWOK_STAGES=$kwok_dir/stages"
  echo "VPA_VERSION=$VPA_VERSION"
  echo "VPA_ADMISSION_CONTROLLER=$vpa_dir/vpa-admission-controller"
  echo "VPA_CRDS=$vpa_dir/crds/vpa-v1-crd-gen.yaml"
}

have_kube() {
  local cmd
  for cmd in $kube_cmds; do [ -x "$bin_dir/$cmd" ] || return 1; done
}

have_kwok() {
  local stage
  [ -x "$kwok_dir/kwok" ] || return 1
  for stage in $kwok_stages; do [ -f "$kwok_dir/stages/${stage##*/}" ] || return 1; done
}

have_vpa() {
  [ -x "$vpa_dir/vpa-admission-controller" ] && [ -f "$vpa_dir/crds/vpa-v1-crd-gen.yaml" ]
}

have_all() {
  have_kube && [ -x "$bin_dir/etcd" ] && [ -x "$helm_dir/helm" ] && have_kwok && have_vpa
}

if have_all; then
  [ "${1:-}" = "--print-env" ] && print_env
  exit 0
fi

command -v go >/dev/null 2>&1 \
  || die "Go is needed to build the control plane, helm, kwok and VPA (none found on PATH); install Go >= 1.26, or point KUBE_API_TEST_DIR at a directory that already holds k8s/$KUBE_VERSION-linux-$arch/{${kube_cmds// /,},etcd}, helm/$HELM_VERSION/helm, kwok/$KWOK_VERSION/{kwok,stages/} and vpa/$VPA_VERSION/{vpa-admission-controller,crds/}"

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
  local cmd
  for cmd in $kube_cmds; do
    [ -x "$bin_dir/$cmd" ] && continue
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

# kwok's go.mod is complete (no replace directives), so go install builds it as released; its
# stage configs come from the same module, already in the module cache after the build.
build_kwok() {
  local dir stage
  mkdir -p "$work/kwok" && cd "$work/kwok"
  log "building kwok $KWOK_VERSION"
  GOFLAGS= GOBIN="$work/out" go install -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" \
    || die "building kwok $KWOK_VERSION failed (see the Go output above)"
  dir=$(GOFLAGS= go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" \
    | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [ -d "$dir/kustomize/stage" ] || die "no kustomize/stage in sigs.k8s.io/kwok@$KWOK_VERSION"
  mkdir -p "$work/out/stages"
  for stage in $kwok_stages; do
    cp "$dir/kustomize/stage/$stage" "$work/out/stages/" || die "kwok stage $stage is missing"
  done
  chmod u+w "$work/out/stages"/*
}

# The VPA module's go.mod has exclude directives, which go install refuses, so a throwaway main
# module requires it. Its main package is copied in with one change: upstream serves the webhook on
# ":port" (every interface, no flag to narrow it); here it serves on 127.0.0.1 only, like every
# other process of the test clusters. All the admission logic is the module's own, unchanged.
build_vpa() {
  local mod="$work/vpa" dir
  mkdir -p "$mod/cmd" && cd "$mod"
  go mod init example.invalid/vpa-build >/dev/null 2>&1
  go mod edit -require="$vpa_module@v$VPA_VERSION"
  dir=$(go mod download -json "$vpa_module@v$VPA_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [ -d "$dir/pkg/admission-controller" ] || die "no pkg/admission-controller in $vpa_module@v$VPA_VERSION"
  find "$dir/pkg/admission-controller" -maxdepth 1 -name '*.go' ! -name '*_test.go' \
    -exec cp {} cmd/ \;
  chmod u+w cmd/*.go
  grep -q 'Addr:      fmt.Sprintf(":%d", config.Port),' cmd/main.go \
    || die "$vpa_module@v$VPA_VERSION: main.go no longer sets Addr as expected; revisit build_vpa"
  sed -i 's/Addr:      fmt.Sprintf(":%d", config.Port),/Addr:      fmt.Sprintf("127.0.0.1:%d", config.Port),/' cmd/main.go
  log "building vpa-admission-controller v$VPA_VERSION (a cold build takes several minutes)"
  go build -trimpath -ldflags "-s -w" -o "$work/out/vpa-admission-controller" ./cmd \
    || die "building vpa-admission-controller v$VPA_VERSION failed (see the Go output above)"
  mkdir -p "$work/out/vpa-crds"
  cp "$dir/deploy/vpa-v1-crd-gen.yaml" "$work/out/vpa-crds/" && chmod u+w "$work/out/vpa-crds"/*
}

mkdir -p "$work/out"
start=$(date +%s)
have_kube || build_kube
[ -x "$bin_dir/etcd" ] || build_etcd
[ -x "$helm_dir/helm" ] || build_helm
have_kwok || build_kwok
have_vpa || build_vpa

mkdir -p "$bin_dir" "$helm_dir" "$kwok_dir" "$vpa_dir"
for f in $kube_cmds etcd; do
  [ -f "$work/out/$f" ] && mv "$work/out/$f" "$bin_dir/$f"
done
[ -f "$work/out/helm" ] && mv "$work/out/helm" "$helm_dir/helm"
if [ -f "$work/out/kwok" ]; then
  rm -rf "$kwok_dir/stages" && mv "$work/out/stages" "$kwok_dir/stages"
  mv "$work/out/kwok" "$kwok_dir/kwok"
fi
if [ -f "$work/out/vpa-admission-controller" ]; then
  rm -rf "$vpa_dir/crds" && mv "$work/out/vpa-crds" "$vpa_dir/crds"
  mv "$work/out/vpa-admission-controller" "$vpa_dir/vpa-admission-controller"
fi
have_all || die "binaries missing after the build in $bin_dir, $helm_dir, $kwok_dir and $vpa_dir"
log "ready in $(( $(date +%s) - start ))s: $bin_dir, $helm_dir/helm, $kwok_dir/kwok, $vpa_dir"
[ "${1:-}" = "--print-env" ] && print_env
exit 0
