# The two commands of the README: `make run` and `make test`. Both install what they need
# (scripts/bootstrap), build, and then start the system or pass every test.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
TEST_DIR := build/asan
DEMO_DB ?= var/demo.db

.PHONY: all bootstrap release build-test run test bench fuzz format clean

all: release

bootstrap:
	@scripts/bootstrap

release: bootstrap
	@cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target jcm

# The test build carries AddressSanitizer and UndefinedBehaviorSanitizer.
build-test: bootstrap
	@cmake -S . -B $(TEST_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DJCM_SANITIZE=ON >/dev/null
	@cmake --build $(TEST_DIR) -j $(JOBS)

test: build-test
	@cd $(TEST_DIR) && ctest --output-on-failure -j $(JOBS)

run: release
	@scripts/demo $(RELEASE_DIR)/jcm $(DEMO_DB)

bench: release
	@$(RELEASE_DIR)/jcm bench ledger

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build
