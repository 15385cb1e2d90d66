# govreport-query: the query server (catalog, reports, comparisons).
#
#   docker build -f deploy/docker/query.Dockerfile -t govreport-query:0.1.0 .
#   docker run --rm -p 50052:50052 -p 9090:9090 -v govreport-data:/var/lib/govreport \
#     -v "$PWD/token:/run/secrets/govreport/auth/token:ro" govreport-query:0.1.0 \
#     --flagfile=/etc/govreport/query.flags --parser_target=dns:///PARSER_HOST:50051
#
# The baked-in /etc/govreport/query.flags is deploy/config/query.flags; flags
# after it override it (its --parser_target names the in-cluster Service).
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
 && cmake --build /build --target govreport-query \
 && install -D -m 0755 -s /build/bin/govreport-query /out/govreport-query

# ---- run: debian:12-slim with the runtime libraries only ----
FROM debian:12-slim
ARG DEBIAN_FRONTEND=noninteractive
# The shared libraries the binary links (gRPC, Protobuf, Abseil, spdlog, fmt,
# prometheus-cpp, SQLite, libpqxx/libpq); their own dependencies come along.
# ca-certificates: for PostgreSQL DSNs with sslmode=verify-full.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libgrpc++1.51 libgrpc29 libprotobuf32 libabsl20220623 \
      libspdlog1.10 libfmt9 libssl3 \
      libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 \
      libsqlite3-0 libpqxx-6.4 libpq5 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 govreport \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent \
      --no-create-home --shell /usr/sbin/nologin govreport \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/govreport
COPY --from=build /out/govreport-query /usr/local/bin/govreport-query
COPY deploy/config/query.flags /etc/govreport/query.flags

# SQLite's folder (--data_dir): a volume, owned by the server's user. With
# --store=postgres nothing is kept here.
VOLUME ["/var/lib/govreport"]
# Fixed numeric UID/GID, so Kubernetes' runAsNonRoot can check it.
USER 10001:10001
# 50052: gRPC (Catalog/Report/QueryService, grpc.health.v1, reflection);
# 9090: /metrics.
EXPOSE 50052 9090
# No HEALTHCHECK: the image carries no gRPC health client, and Kubernetes
# ignores HEALTHCHECK anyway; its probes speak grpc.health.v1 natively
# (deploy/k8s). Outside Kubernetes: build/bin/govreport health --server=HOST:50052.
HEALTHCHECK NONE
# Flags come from a flagfile; anything after the image name replaces CMD, and
# flags given after --flagfile override the file's. Kubernetes mounts its
# ConfigMap over /etc/govreport and adds store.flags.
ENTRYPOINT ["/usr/local/bin/govreport-query"]
CMD ["--flagfile=/etc/govreport/query.flags"]
