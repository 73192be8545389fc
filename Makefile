# The two commands a newcomer types: `make demo` and `make test`. Both install what
# is missing first (scripts/install-deps), so each works on a fresh Debian 12.
BUILD       ?= build
FUZZ_BUILD  ?= build-fuzz
JOBS        ?= $(shell nproc)
FUZZ_SECONDS ?= 30
# Fuzz targets `make test` leaves out: epcis_cross_format_fuzz still finds a new
# mismatch between the JSON and XML bindings every 10-15 minutes (see README, "Proof").
FUZZ_SKIP   ?= epcis_cross_format_fuzz
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release -DSERIALTRACK_TESTS=ON -DSERIALTRACK_BENCH=ON

.PHONY: deps build test demo bench fuzz fuzz-build format clean

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build fuzz-build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SKIP="$(FUZZ_SKIP)" scripts/run-fuzzers $(FUZZ_BUILD)

demo: build
	@scripts/demo $(BUILD)/serialtrack

bench: build
	@scripts/run-benchmarks $(BUILD)

fuzz-build: deps
	@CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DSERIALTRACK_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)

fuzz: fuzz-build
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-60} scripts/run-fuzzers $(FUZZ_BUILD)

format:
	@find src tests bench fuzz -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD)
