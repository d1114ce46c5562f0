# syntax=docker/dockerfile:1
#
# Starling's container image: the `starling` binary and the built web UI on Debian slim,
# run as a non-root user, data in the /data volume. docs/DEPLOYMENT.md explains its use.
#
# NOT BUILT on the machine this was written on (it has no Docker engine): hadolint checks it
# (scripts/lint-containers.sh, a step of scripts/test.sh), nothing more. Expect to fix small
# things the first time it is built.
#
#   docker build -t starling .
#   docker run --rm -p 3001:3001 -v starling-data:/data starling         # one node, SQLite
#   POSTGRES_PASSWORD=… docker compose up --build                          # a cluster: compose.yaml
#
# Stages: `build` compiles the release binary (BuildKit cache mounts keep the cargo registry
# and target directory between builds, so a code change recompiles only Starling's own
# crates); `web` builds web/dist; the last stage holds only what runs.

ARG RUST_VERSION=1.90
ARG NODE_VERSION=20
ARG DEBIAN_RELEASE=bookworm

FROM rust:${RUST_VERSION}-${DEBIAN_RELEASE} AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY crates ./crates
# The target directory is a cache mount, so the binary is copied out in the same step.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --release --locked -p starling-server \
 && install -D -m 0755 target/release/starling /out/starling

FROM node:${NODE_VERSION}-${DEBIAN_RELEASE}-slim AS web
WORKDIR /web
# Dependencies first: this layer is reused until the lock file changes.
COPY web/package.json web/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --no-audit --no-fund --loglevel=error
COPY web/ ./
RUN npm run build

FROM debian:${DEBIAN_RELEASE}-slim
# curl: the health check. ca-certificates: outgoing TLS (S3 over HTTPS). ffmpeg: video and
# animated GIF processing (without it a node takes images only).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl ffmpeg \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 starling \
 && useradd --system --uid 10001 --gid starling --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin starling \
 && install -d -o starling -g starling -m 0750 /data
COPY --from=build /out/starling /usr/local/bin/starling
COPY --from=web /web/dist /usr/share/starling/web

# Listen on every address of the container (the default, 127.0.0.1, is for a laptop).
# Everything else comes from STARLING_* variables or flags (docs/CONFIGURATION.md); a
# cluster node needs at least STARLING_STORE=postgres, STARLING_DATABASE_URL,
# STARLING_REDIS_URL, a unique STARLING_NODE_ID and STARLING_TRUSTED_PROXIES (compose.yaml).
ENV STARLING_HOST=0.0.0.0 \
    STARLING_PORT=3001 \
    STARLING_DATA_DIR=/data \
    STARLING_WEB_DIR=/usr/share/starling/web
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 3001
# SIGTERM: the server stops accepting, finishes requests in flight (up to
# api.connections.shutdown-grace, 10 s), writes buffered views and releases its node id.
# Give it more than that before SIGKILL (docker stop -t 20, compose stop_grace_period).
STOPSIGNAL SIGTERM
# Follows STARLING_PORT (read by the shell when the check runs); a --port flag given as a
# command argument is not seen here.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["/bin/sh", "-c", "curl -fsS --max-time 2 -o /dev/null \"http://127.0.0.1:${STARLING_PORT}/api/health\""]
ENTRYPOINT ["/usr/local/bin/starling"]
CMD ["serve"]
