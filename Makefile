# The README's test command is `make test`; .ci/run runs exactly that.
GO ?= go

.PHONY: build dist setup test unit vet e2e

# The version the binary reports (rallyforge --version): the tag, or the
# next release with the commit count and hash (scripts/dist/version.sh).
VERSION ?= $(shell scripts/dist/version.sh)
LDFLAGS := -X github.com/rallyforge/rallyforge/internal/buildinfo.version=$(VERSION)

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

unit:
	$(GO) test -count=1 ./...

# The end-to-end suite: a real Keystone + Placement + Glance on 127.0.0.1
# (scripts/cloud/up.sh), rallyforge init + run with the real Rally.
e2e:
	$(GO) test -tags e2e -count=1 -timeout 20m ./e2e/

# screenshots regenerates docs/report-placement-failures.png and
# docs/trends.png: the HTML report of the placement-failures sample and a
# trends page, as headless Chromium renders them in the browser test.
.PHONY: screenshots
screenshots:
	mkdir -p docs
	RALLYFORGE_SCREENSHOTS=$(CURDIR)/docs $(GO) test -count=1 -run TestHTMLPagesRenderInChromium ./cmd/rallyforge/
