# govreport-parser: the stateless parser server.
#
#   docker build -f deploy/docker/parser.Dockerfile -t govreport-parser:0.1.0 .
#   docker run --rm -p 50051:50051 -p 9090:9090 govreport-parser:0.1.0
#
# Build context: the repository root (.dockerignore keeps build dirs,
# node_modules and var/ out of it).

# ---- build: Debian 12's toolchain and -dev packages (as scripts/bootstrap) ----
FROM debian:12 AS build
ARG DEBIAN_FRONTEND=noninteractive
# The top-level CMakeLists.txt finds every library of the project (GTest and
# benchmark included), so all the -dev packages are needed to configure, even
# though only the server target is built.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler \
      libabsl-dev libspdlog-dev libfmt-dev libssl-dev \
      libgtest-dev libgmock-dev googletest libbenchmark-dev \
      libsqlite3-dev libpqxx-dev libpq-dev prometheus-cpp-dev grpc-proto \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build /build --target govreport-parser \
 && install -D -m 0755 -s /build/bin/govreport-parser /out/govreport-parser

# ---- run: debian:12-slim with the runtime libraries only ----
FROM debian:12-slim
ARG DEBIAN_FRONTEND=noninteractive
# The shared libraries the binary links (ldd → dpkg -S on Debian 12); their
# own dependencies (c-ares, re2, civetweb, OpenSSL) come along.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libgrpc++1.51 libgrpc29 libprotobuf32 libabsl20220623 \
      libspdlog1.10 libfmt9 libssl3 \
      libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 govreport \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent \
      --no-create-home --shell /usr/sbin/nologin govreport
COPY --from=build /out/govreport-parser /usr/local/bin/govreport-parser
COPY deploy/config/parser.flags /etc/govreport/parser.flags

# Fixed numeric UID/GID, so Kubernetes' runAsNonRoot can check it.
USER 10001:10001
# 50051: gRPC (ParserService, grpc.health.v1, reflection); 9090: /metrics.
EXPOSE 50051 9090
# No HEALTHCHECK: the image carries no gRPC health client, and Kubernetes
# ignores HEALTHCHECK anyway; its probes speak grpc.health.v1 natively
# (deploy/k8s). Outside Kubernetes: build/bin/govreport health --server=HOST:50051.
HEALTHCHECK NONE
# Flags come from a flagfile; anything after the image name replaces CMD, and
# flags given after --flagfile override the file's (e.g. --log_level=debug).
# Kubernetes mounts its ConfigMap over /etc/govreport.
ENTRYPOINT ["/usr/local/bin/govreport-parser"]
CMD ["--flagfile=/etc/govreport/parser.flags"]
