# The README's test command is `make test`; .ci/run runs exactly that.
GO ?= go

.PHONY: build dist setup test unit vet e2e

# The version the binary reports (rallyforge --version): the tag, or the
# next release with the commit count and hash (scripts/dist/version.sh).
VERSION ?= $(shell scripts/dist/version.sh)
LDFLAGS = -X github.com/rallyforge/rallyforge/internal/buildinfo.version=$(VERSION)

# A static binary: nothing needs cgo, and without the dynamic loader every
# run starts ~1 ms sooner (scripts/bench-lint.sh).
build:
	CGO_ENABLED=0 $(GO) build -buildvcs=auto -ldflags '$(LDFLAGS)' -o bin/rallyforge ./cmd/rallyforge

# Static binaries for linux/amd64, linux/arm64, darwin/amd64, darwin/arm64,
# a Python wheel per platform carrying its binary, and SHA256SUMS, in dist/
# (PLATFORMS="linux/amd64" for fewer).
dist:
	VERSION='$(VERSION)' GO='$(GO)' scripts/dist/build.sh

# setup installs what the tests need on a fresh Debian 12 machine (root);
# when everything is there it only checks, in a second or two.
setup:
	bash scripts/install-deps.sh

# test runs everything, the end-to-end suite included; it sets itself up
# first, then brings a loopback cloud up and down.
test: setup
	$(MAKE) vet unit e2e

vet:
	$(GO) vet ./...

# go test's default 10 minutes per package is too short for lint's
# differential tests against the real Rally on a busy 2-core machine.
unit:
	$(GO) test -count=1 -timeout 30m ./...

# The end-to-end suite: a loopback cloud of Debian's OpenStack on 127.0.0.1
# (scripts/cloud/), rallyforge init + run with the real Rally, one service
# group at a time (TestCloud). The test stops the cloud itself; down.sh runs
# once more afterwards so that not even a timed-out (killed) test binary
# leaves a daemon behind.
E2E_LAB = $(CURDIR)/.lab/e2e
e2e:
	RALLYFORGE_LAB=$(E2E_LAB) $(GO) test -tags e2e -count=1 -timeout 60m ./e2e/; \
	rc=$$?; RALLYFORGE_LAB=$(E2E_LAB) scripts/cloud/down.sh --purge >/dev/null || rc=1; exit $$rc

# screenshots regenerates docs/report-placement-failures.png and
# docs/trends.png: the HTML report of the placement-failures sample and a
# trends page, as headless Chromium renders them in the browser test.
.PHONY: screenshots
screenshots:
	mkdir -p docs
	RALLYFORGE_SCREENSHOTS=$(CURDIR)/docs $(GO) test -count=1 -run TestHTMLPagesRenderInChromium ./cmd/rallyforge/

# --- habits of the edit-test loop (not part of make test) ---
.PHONY: lint generate unit-short

STATICCHECK ?= $(shell command -v staticcheck 2>/dev/null || echo $(HOME)/go/bin/staticcheck)

# lint: what review expects of every change: gofmt-clean, go vet and
# staticcheck silent.
lint:
	@out=$$(gofmt -l cmd internal e2e); if [ -n "$$out" ]; then echo "gofmt -l:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags e2e ./e2e/
	$(STATICCHECK) ./...

# generate: regenerate the knowledge the binary embeds from its real
# sources: the Rally plugin catalog (internal/catalog/catalog.json, then
# catalog_data.go from it; needs the installed Rally, see make setup) and
# the service types (internal/servicetypes/servicetypes.json). Give clones
# with RALLY_OPENSTACK_GIT= and SERVICE_TYPES_GIT= or fresh ones are made.
# docs/rules.md is written from the lint rules last.
RALLY_OPENSTACK_GIT ?=
SERVICE_TYPES_GIT ?=
generate:
	internal/catalog/gen/generate.sh $(RALLY_OPENSTACK_GIT)
	set -e; d='$(SERVICE_TYPES_GIT)'; \
	if [ -z "$$d" ]; then d=$$(mktemp -d)/service-types-authority.git; \
		git clone -q --bare https://opendev.org/openstack/service-types-authority "$$d"; fi; \
	/usr/bin/python3 internal/servicetypes/gen.py "$$d" > internal/servicetypes/servicetypes.json.new; \
	mv internal/servicetypes/servicetypes.json.new internal/servicetypes/servicetypes.json
	$(GO) test ./internal/lint -run TestRulesDoc -update

# unit-short: the unit tests without the oracles (the real Rally, Python's
# jsonschema and configparser) and the corpus-wide runs, which
# testcorpus.Long skips under -short; under a minute.
unit-short:
	$(GO) test -short -count=1 ./...
