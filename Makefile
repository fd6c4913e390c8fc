# logbridge — every target brings what it needs on a fresh machine.
#   make lab    run the bridge on a local lab (Kafka, Mosquitto, HEC receiver, log generator)
#   make test   everything CI checks: lint, typecheck, build, unit, integration and e2e tests
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

NODE_MAJOR := 24
NODE_CACHE := $(CURDIR)/.cache/node
# Use the machine's node when it is >= 24, else the npm registry's node@24 package in an ignored cache.
SYSTEM_NODE_OK := $(shell node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= $(NODE_MAJOR) ? 0 : 1)' >/dev/null 2>&1 && echo yes)
ifeq ($(SYSTEM_NODE_OK),yes)
NODE_STAMP :=
else
NODE_STAMP := $(NODE_CACHE)/.installed-$(NODE_MAJOR)
export PATH := $(NODE_CACHE)/node_modules/.bin:$(PATH)
endif
DEPS_STAMP := node_modules/.installed
# helm, for the chart checks in test/unit/deploy/: built from the Go module proxy into an ignored cache (no release
# binaries can be fetched here). About 3 minutes on a cold Go cache; the stamp makes later runs free.
HELM_VERSION := v4.3.1
HELM_CACHE := $(CURDIR)/.cache/helm
HELM_STAMP := $(HELM_CACHE)/.installed-$(HELM_VERSION)
GO ?= $(or $(shell command -v go 2>/dev/null),/usr/local/go/bin/go)
# promtool, for `promtool test rules` on the chart's alerts (test/unit/deploy/prometheus-rules.test.ts): built the
# same way, from the Prometheus module (v0.316.0 is Prometheus 3.16). About 10 minutes on a cold Go cache.
PROMETHEUS_MODULE_VERSION := v0.316.0
PROMTOOL_CACHE := $(CURDIR)/.cache/promtool
PROMTOOL_STAMP := $(PROMTOOL_CACHE)/.installed-$(PROMETHEUS_MODULE_VERSION)
# What the lab needs; the tests also need helm and promtool (chart checks).
LAB_TOOLS := $(NODE_STAMP) $(DEPS_STAMP) mosquitto kafka
TOOLS := $(LAB_TOOLS) helm promtool chromium

.PHONY: help setup lab test lint typecheck build test-unit test-integration test-e2e bench bench-e2e mosquitto kafka helm promtool chromium clean

help:
	@echo "make lab    run logbridge on a local lab (Kafka, Mosquitto, HEC receiver, log generator)"
	@echo "make test   lint, typecheck, build, unit, integration and e2e tests (what CI runs)"
	@echo "make bench  throughput and memory benchmarks of components"
	@echo "make bench-e2e  the shipped process end to end, per profile (BENCH_E2E_ARGS='--records 50000 --repeats 1')"

$(NODE_CACHE)/.installed-$(NODE_MAJOR):
	@echo "==> node $$(node -v 2>/dev/null || echo none) is older than $(NODE_MAJOR): fetching node@$(NODE_MAJOR) from the npm registry"
	mkdir -p $(NODE_CACHE)
	npm install --prefix $(NODE_CACHE) --no-save --no-package-lock --no-audit --no-fund node@$(NODE_MAJOR) >/dev/null
	$(NODE_CACHE)/node_modules/.bin/node -v
	touch $@

$(DEPS_STAMP): package.json package-lock.json $(NODE_STAMP)
	@echo "==> npm ci (node $$(node -v))"
	npm ci --no-audit --no-fund
	touch $@

mosquitto:
	@if ! command -v mosquitto >/dev/null 2>&1 && ! [ -x /usr/sbin/mosquitto ]; then \
	  echo "==> installing mosquitto from Debian's packages"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends mosquitto >/dev/null; \
	fi

# The console's browser tests drive Debian's chromium with playwright-core (no browser download).
chromium:
	@if ! [ -x /usr/bin/chromium ]; then \
	  echo "==> installing chromium from Debian's packages"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	fi

kafka: $(DEPS_STAMP)
	node test/support/kafka/install.ts

helm: $(HELM_STAMP)

$(HELM_STAMP):
	@command -v $(GO) >/dev/null 2>&1 || { echo "make helm: Go is needed to build helm $(HELM_VERSION) (set GO=/path/to/go)"; exit 1; }
	@echo "==> building helm $(HELM_VERSION) from the Go module proxy into .cache/helm ($$($(GO) version))"
	mkdir -p $(HELM_CACHE)
	rm -f $(HELM_CACHE)/.installed-*
	GOFLAGS=-mod=mod GOBIN=$(HELM_CACHE) $(GO) install helm.sh/helm/v4/cmd/helm@$(HELM_VERSION)
	$(HELM_CACHE)/helm version --short
	touch $@

promtool: $(PROMTOOL_STAMP)

$(PROMTOOL_STAMP):
	@command -v $(GO) >/dev/null 2>&1 || { echo "make promtool: Go is needed to build promtool (set GO=/path/to/go)"; exit 1; }
	@echo "==> building promtool (prometheus $(PROMETHEUS_MODULE_VERSION)) from the Go module proxy into .cache/promtool ($$($(GO) version))"
	mkdir -p $(PROMTOOL_CACHE)
	rm -f $(PROMTOOL_CACHE)/.installed-*
	GOFLAGS=-mod=mod GOBIN=$(PROMTOOL_CACHE) $(GO) install github.com/prometheus/prometheus/cmd/promtool@$(PROMETHEUS_MODULE_VERSION)
	$(PROMTOOL_CACHE)/promtool --version | head -1
	touch $@

setup: $(TOOLS)

lint: $(DEPS_STAMP)
	npm run lint

typecheck: $(DEPS_STAMP)
	npm run typecheck

build: $(DEPS_STAMP)
	npm run build

test-unit: $(DEPS_STAMP)
	npm run test:unit

test-integration: setup
	npm run test:integration

test-e2e: setup build
	npm run test:e2e

test: setup
	npm run lint
	npm run typecheck
	npm run build
	npm run test:unit
	npm run test:integration-e2e

lab: $(LAB_TOOLS)
	node lab/run.ts

bench: $(LAB_TOOLS)
	node bench/run.ts

# The figures of the README's "Performance and memory": bench/e2e.ts documents its options.
BENCH_E2E_ARGS ?=
bench-e2e: $(LAB_TOOLS) build
	node bench/e2e.ts $(BENCH_E2E_ARGS)

clean:
	rm -rf dist coverage lab/out .tmp
