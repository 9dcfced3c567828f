# oms: one image for `oms serve` (API), `oms worker` and `oms migrate` (the final stage, the
# default target), plus the PgBouncer sidecar image (`--target pgbouncer`) that the ECS tasks
# run beside it. The infra/ CDK app builds both from this file as image assets.
#
#   docker build -t oms .                          # service image
#   docker build -t oms-pgbouncer --target pgbouncer .
#   docker run --rm -p 8000:8000 --read-only --tmpfs /tmp oms serve
#
# Runtime contract (docs/configuration.md): port 8000, liveness GET /health, uid 10001,
# read-only root filesystem with a writable /tmp, configuration from OMS_* variables.

# ---------------------------------------------------------------------------------------
# build: the same Debian 12 -dev packages as scripts/setup.sh, Release build of `oms`.
# ---------------------------------------------------------------------------------------
FROM debian:12 AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config git ca-certificates python3-yaml \
      libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
      libpq-dev libhiredis-dev libsqlite3-dev libssl-dev libfmt-dev libspdlog-dev libmimalloc-dev \
      libgtest-dev libgmock-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# scripts/build.sh release (the test command's build) reads CMAKE_BUILD_TYPE from this line, so
# the tests build exactly this configuration (plus -Werror, which is for our own scripts only).
RUN cmake -S . -B /build -G Ninja \
      -DCMAKE_BUILD_TYPE=Release \
      -DOMS_BUILD_TESTS=OFF \
      -DOMS_TOOLING_TESTS=OFF \
 && cmake --build /build --target oms \
 && install -D -m 0755 /build/oms /out/oms \
 && strip --strip-unneeded /out/oms

# ---------------------------------------------------------------------------------------
# pgbouncer: the connection-pooling sidecar (Debian's PgBouncer 1.18) and psql for the
# database bootstrap; its configuration is written at start from the environment
# (infra/lib/scripts/pgbouncer.sh, passed by the task definition).
# ---------------------------------------------------------------------------------------
FROM debian:12-slim AS pgbouncer
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends pgbouncer postgresql-client ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin oms
# Amazon RDS certificate authorities, for server_tls_sslmode=verify-full.
ADD https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
RUN chmod 0644 /etc/ssl/certs/rds-global-bundle.pem
# The only writable path under a read-only root. Declared as a volume so that Fargate gives the
# task's bind mount this directory's mode (1777) instead of root-only 0755.
VOLUME ["/tmp"]
USER 10001:10001
EXPOSE 6432
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD pg_isready -q -h 127.0.0.1 -p 6432 || exit 1
ENTRYPOINT ["pgbouncer"]
CMD ["/tmp/pgbouncer/pgbouncer.ini"]

# ---------------------------------------------------------------------------------------
# runtime: Debian 12 slim with the shared libraries `oms` links against, nothing else.
# ---------------------------------------------------------------------------------------
FROM debian:12-slim AS runtime
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpq5 libhiredis0.14 libsqlite3-0 libssl3 \
      libboost-json1.81.0 libboost-url1.81.0 \
      libspdlog1.10 libfmt9 libmimalloc2.0 \
      ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin oms \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/oms
# Amazon RDS certificate authorities, for direct sslmode=verify-full connections.
ADD https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/certs/rds-global-bundle.pem
RUN chmod 0644 /etc/ssl/certs/rds-global-bundle.pem
COPY --from=build /out/oms /usr/local/bin/oms
# Fail the build, not the deploy, if a shared library is missing from the list above.
RUN if ldd /usr/local/bin/oms | grep -q 'not found'; then ldd /usr/local/bin/oms; exit 1; fi
LABEL org.opencontainers.image.title="oms" \
      org.opencontainers.image.description="Opportunity Management Service"
# The embedded default keeps its data under the working directory (./data); production
# uses none of it and runs with a read-only root filesystem and a writable /tmp.
WORKDIR /var/lib/oms
ENV OMS_HTTP_ADDRESS=0.0.0.0 \
    OMS_HTTP_PORT=8000
# The only writable path under a read-only root (see the pgbouncer stage).
VOLUME ["/tmp"]
USER 10001:10001
EXPOSE 8000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8000/health || exit 1
ENTRYPOINT ["/usr/local/bin/oms"]
CMD ["serve"]
