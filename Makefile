# Thin wrapper over Maven, Helm and the scripts in hack/. `make help` lists the targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
MVN ?= mvn
MVN_FLAGS ?=
CHART := helm/runtime-policy-operator
RELEASE ?= runtime-policy
NAMESPACE ?= runtime-policy

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*?## "}{printf "  %-14s %s\n", $$1, $$2}'

.PHONY: control-plane
control-plane: ## Build the pinned control plane (API server, etcd, controller manager, scheduler, kwok), kubectl and helm into ~/.kubeapitest (once)
	bash hack/control-plane.sh

.PHONY: fmt
fmt: ## Format the Java sources with google-java-format (every build checks it)
	$(MVN) $(MVN_FLAGS) -q spotless:apply

.PHONY: build
build: ## Compile, generate the CRD into the chart, package the operator (no tests)
	$(MVN) $(MVN_FLAGS) package -DskipTests

.PHONY: manifests
manifests: ## Regenerate the CRDs from the Java models into $(CHART)/crds and (the Report CRD) $(CHART)/files
	$(MVN) $(MVN_FLAGS) -pl crd,operator -am process-classes

.PHONY: jre
jre: ## Build the operator and its trimmed Java runtime (jlink) into operator/target/jre
	$(MVN) $(MVN_FLAGS) -q -pl operator -am package -DskipTests
	bash hack/jlink.sh

# The small Go programs over GitOps tools' own code that GitOpsToolsIT builds offline: Argo CD's
# diff (gitops-engine pkg/diff, legacy and server-side), Argo CD's ignoreDifferences (argo-cd's
# own module) and Flux's apply (fluxcd/pkg/ssa).
GITOPS_PROGRAMS := $(addprefix operator/src/test/resources/,argodiff argoignore fluxssa)

.PHONY: gitops-modules
gitops-modules: ## Fetch once through the Go proxy, and build once, the Go programs over Argo CD's and Flux's code that GitOpsToolsIT builds offline (Argo CD's module takes minutes to build cold)
	for dir in $(GITOPS_PROGRAMS); do \
	  tmp=$$(mktemp -d); for f in main.go go.mod go.sum; do cp $$dir/$$f.txt $$tmp/$$f; done; \
	  (cd $$tmp && GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download \
	    && GOFLAGS=-mod=mod GOTOOLCHAIN=local GOPROXY=off go build -o /dev/null .) \
	    || { rm -rf $$tmp; echo "gitops-modules: $$dir did not fetch or build" >&2; exit 1; }; \
	  rm -rf $$tmp; \
	done

.PHONY: argodiff-modules
argodiff-modules: gitops-modules ## The same (its former name)

.PHONY: test
test: control-plane jre gitops-modules ## Run every test: unit, integration and end-to-end (on the jlink runtime), on the real control plane
	$(MVN) $(MVN_FLAGS) verify
	@git diff --exit-code -- $(CHART)/crds $(CHART)/files || { echo "the chart's CRDs differ from the generated ones: commit $(CHART)/crds and $(CHART)/files" >&2; exit 1; }

FUZZ_TARGETS ?= fuzz.ParsersFuzzTest\#quantities fuzz.ParsersFuzzTest\#durations fuzz.ParsersFuzzTest\#options webhook.AdmissionReviewFuzzTest\#anyBody check.ManifestFuzzTest\#anyManifest

.PHONY: fuzz
fuzz: ## Fuzz the parsers, the AdmissionReview handler and check/fix, coverage-guided, 2 minutes each (findings land in the tests' Inputs directories)
	@mkdir -p operator/target
	@for t in $(FUZZ_TARGETS); do \
	  log="operator/target/fuzz-$${t##*\#}.log"; \
	  echo "fuzz: $$t (log $$log)"; \
	  rc=0; JAZZER_FUZZ=1 $(MVN) $(MVN_FLAGS) -pl operator -am test -Dspotless.check.skip=true \
	    -Dtest="io.runtimepolicy.operator.$$t" -Dsurefire.failIfNoSpecifiedTests=false >"$$log" 2>&1 || rc=$$?; \
	  grep -E 'Done [0-9]+ runs|Tests run:.*Fail|==[0-9]+== ' "$$log" | tail -3 || true; \
	  [ $$rc -eq 0 ] || { echo "fuzz: $$t failed (exit $$rc), see $$log" >&2; exit $$rc; }; \
	done

.PHONY: check
check: ## Check manifests offline with the operator's own rules: make check FILES="deploy/ app.yaml" [CHECK_ARGS="--policy p.yaml -o sarif"]
	@[ -n "$(FILES)" ] || { echo 'usage: make check FILES="PATH..." [CHECK_ARGS="--policy FILE -o json"]' >&2; exit 2; }
	@[ -f operator/target/runtime-policy-operator.jar ] || $(MAKE) --no-print-directory build
	bin/runtime-policy check $(addprefix -f ,$(FILES)) $(CHECK_ARGS)

.PHONY: run
run: build ## Run the operator against the current kubeconfig (CRD must be installed: make install)
	java -jar operator/target/runtime-policy-operator.jar

.PHONY: test-e2e
test-e2e: control-plane jre ## Only the end-to-end journey and the chart's tests
	$(MVN) $(MVN_FLAGS) -pl e2e -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='*E2E,*IT'

.PHONY: chart-lint
chart-lint: control-plane ## helm lint --strict the chart with the pinned helm
	"$$(bash hack/control-plane.sh --print-env | sed -n 's/^HELM_BIN=//p')" lint --strict $(CHART)

.PHONY: image
image: ## Build the container image (needs a container engine; the same runtime as `make jre`)
	docker build -t runtime-policy-operator:$$(sed -n 's/^appVersion: *"*\([^"]*\)"*/\1/p' $(CHART)/Chart.yaml) .

.PHONY: run-local
run-local: control-plane ## Start a local cluster that runs pods, the operator and the examples; Ctrl-C stops it all
	$(MVN) $(MVN_FLAGS) -q package -DskipTests
	eval "$$(bash hack/control-plane.sh --print-env)"; \
	exec java -Dproject.root=$(CURDIR) -Dkube.version=$$KUBE_API_TEST_API_SERVER_VERSION \
	  -Dkube.api.test.dir=$$KUBE_API_TEST_DIR -Dhelm.version=$$HELM_VERSION \
	  -cp "e2e/target/classes:e2e/target/lib/*" io.runtimepolicy.local.LocalRun

.PHONY: bench
bench: control-plane ## Benchmarks on the local control plane (docs/performance.md); flags in BENCH_ARGS, e.g. BENCH_ARGS="--n=100,1000 --out=docs/performance.json"
	$(MVN) $(MVN_FLAGS) -q -pl bench -am package -DskipTests
	bash hack/jlink.sh
	eval "$$(bash hack/control-plane.sh --print-env)"; \
	exec java -Djava.awt.headless=true -Dproject.root=$(CURDIR) -Dkube.version=$$KUBE_API_TEST_API_SERVER_VERSION \
	  -Dkube.api.test.dir=$$KUBE_API_TEST_DIR -Dhelm.version=$$HELM_VERSION \
	  -cp "bench/target/classes:bench/target/lib/*" io.runtimepolicy.bench.BenchMain $(BENCH_ARGS)

.PHONY: install
install: manifests ## Install or upgrade the CRD in the current cluster
	kubectl apply --server-side -f $(CHART)/crds/

.PHONY: uninstall
uninstall: ## Remove the CRD (and every RuntimePolicy) from the current cluster
	kubectl delete -f $(CHART)/crds/ --ignore-not-found

.PHONY: deploy
deploy: ## helm install (or upgrade) the chart into the current cluster
	helm upgrade --install $(RELEASE) $(CHART) -n $(NAMESPACE) --create-namespace

.PHONY: undeploy
undeploy: ## helm uninstall the chart (the CRD stays)
	helm uninstall $(RELEASE) -n $(NAMESPACE)
