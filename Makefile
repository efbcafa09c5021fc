# The README's test command is `make test`; .ci/run runs exactly that.
GO ?= go

.PHONY: build test unit vet

build:
	$(GO) build -o bin/rallyforge ./cmd/rallyforge

test: vet unit

vet:
	$(GO) vet ./...

unit:
	$(GO) test -count=1 ./...
