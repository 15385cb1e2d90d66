# The two commands of the README, and a few conveniences.
#   make run   bootstrap, build, start both services with sample data
#   make test  bootstrap, build, run every test (what CI runs)

BUILD_DIR ?= build
JOBS ?= 2

.PHONY: all bootstrap build run test lint format clean

all: build

bootstrap:
	scripts/bootstrap

build: bootstrap
	cmake -S . -B $(BUILD_DIR) -G Ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	scripts/run

test: build
	scripts/test

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')
	tools/node/node_modules/.bin/buf format -w proto

clean:
	rm -rf $(BUILD_DIR)
