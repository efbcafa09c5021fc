# The README's test command is `make test`; .ci/run runs exactly that.
GO ?= go

.PHONY: build test unit vet e2e

# A static binary: nothing needs cgo, and without the dynamic loader every
# run starts ~1 ms sooner (scripts/bench-lint.sh).
build:
	CGO_ENABLED=0 $(GO) build -o bin/rallyforge ./cmd/rallyforge

# test runs everything, the end-to-end suite included (needs root and the
# packages of scripts/install-deps.sh; it brings a loopback cloud up and down).
test: vet unit e2e

vet:
	$(GO) vet ./...

unit:
	$(GO) test -count=1 ./...

# The end-to-end suite: a real Keystone + Placement + Glance on 127.0.0.1
# (scripts/cloud/up.sh), rallyforge init + run with the real Rally.
e2e:
	$(GO) test -tags e2e -count=1 -timeout 20m ./e2e/
