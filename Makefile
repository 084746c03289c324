# The two commands of the README: `make run` and `make test`. Both install what they need
# (scripts/bootstrap), build, and then start the system or pass every test.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
TEST_DIR := build/asan
DEMO_DB ?= var/demo.db
DEMO_LISTEN ?= 127.0.0.1:8080

.PHONY: all bootstrap web release build-test run test bench fuzz format clean

all: release

bootstrap:
	@scripts/bootstrap

# The web application's assets (docs/web.md) in web/dist, which `jcm serve` serves.
web: bootstrap
	@cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run --silent build

release: bootstrap
	@cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target jcm

# The test build carries AddressSanitizer and UndefinedBehaviorSanitizer; -O1 keeps the
# property tests (10,000 sequences) quick without hiding what the sanitizers see.
build-test: bootstrap web
	@cmake -S . -B $(TEST_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
	  -DJCM_SANITIZE=ON >/dev/null
	@cmake --build $(TEST_DIR) -j $(JOBS)

test: build-test
	@cd $(TEST_DIR) && ctest --output-on-failure -j $(JOBS)

# Seeds the demo database (idempotent) and serves it over HTTP until Ctrl-C.
run: release web
	@scripts/demo $(RELEASE_DIR)/src/app/jcm $(DEMO_DB) --serve $(DEMO_LISTEN)

bench: release
	@$(RELEASE_DIR)/src/app/jcm bench ledger
	@bench/postgres_bench.sh $(RELEASE_DIR)/src/app/jcm 3
	@$(RELEASE_DIR)/src/app/jcm bench mrv --layout wide
	@$(RELEASE_DIR)/src/app/jcm bench mrv --layout long
	@bench/registry_summary.sh $(RELEASE_DIR)/src/app/jcm
	@$(RELEASE_DIR)/src/app/jcm bench log --entries 1000000 --json
	@scripts/demo $(RELEASE_DIR)/src/app/jcm $(DEMO_DB) >/dev/null
	@$(RELEASE_DIR)/src/app/jcm bench api --db $(DEMO_DB)

# libFuzzer targets of the MRV engine and the HTTP request pipeline (clang), each run for
# FUZZ_SECONDS from its committed corpus (fuzz/corpus/<target>/); new inputs go to
# build/fuzz/corpus/<target>/.
FUZZ_DIR := build/fuzz
FUZZ_SECONDS ?= 60
fuzz: bootstrap
	@cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_CXX_COMPILER=clang++ -DJCM_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target mrv_csv_fuzz mrv_expr_fuzz mrv_methodology_fuzz \
	  server_request_fuzz
	@for t in mrv_csv mrv_expr mrv_methodology server_request; do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$t && \
	  $(FUZZ_DIR)/fuzz/$${t}_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    $(FUZZ_DIR)/corpus/$$t fuzz/corpus/$$t || exit 1; \
	done

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build
