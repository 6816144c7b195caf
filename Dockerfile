# graph-mock: a local mock of the Microsoft Graph API, as a container image.
#
#   docker build -t graph-mock .
#   docker run --rm -p 8080:8080 graph-mock
#
# Two stages on node:24-bookworm-slim: `build` installs every dependency and compiles the TypeScript;
# the final stage holds only the production dependencies, the compiled JavaScript, package.json and
# the bundled fixtures, and runs `node` directly (no npm, no tsx) as the unprivileged `node` user.
# Every setting is an environment variable (see the ENV block below and `docker run graph-mock --help`).

# ---- build: all dependencies, compile to dist/ -------------------------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app

# Dependencies first, so this layer is reused while only the sources change. --ignore-scripts: the
# compile needs no install script (npm 11 warns about esbuild's, which only tsx uses, at dev time).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY schemas ./schemas
COPY src ./src
# tsc exits non-zero on any type error, which fails the build. Declarations and source maps are not
# needed at run time (the .ts sources they point to are not in the image), so they are dropped.
RUN npm run build \
 && find dist \( -name '*.d.ts' -o -name '*.map' \) -delete

# ---- final: production dependencies + compiled code ----------------------------------------------------
FROM node:24-bookworm-slim

# Settings, with their defaults (the server's own defaults, except HOST, which must be 0.0.0.0 in a
# container). Override any of them with `docker run -e NAME=value`. Also read, unset by default:
#   TLS=true                serve HTTPS (self-signed localhost certificate unless TLS_CERT/TLS_KEY)
#   TLS_CERT, TLS_KEY       PEM certificate and key files (mount them), HTTPS on the same PORT
#   TLS_CERT_OUT            where to write the generated certificate (for NODE_EXTRA_CA_CERTS)
# FIXTURES_DIR: the bundled fixtures; mount your own folder and point FIXTURES_DIR at it, e.g.
#   docker run -v "$PWD/fixtures:/fixtures:ro" -e FIXTURES_DIR=/fixtures -p 8080:8080 graph-mock
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    FIXTURES_DIR=/app/fixtures \
    LOG_LEVEL=info \
    PAGE_SIZE=100 \
    MAX_PAGE_SIZE=999 \
    TOP_ABOVE_MAX=clamp \
    UNKNOWN_QUERY_OPTIONS=error \
    MAX_FILTER_LENGTH=4096 \
    MAX_URL_LENGTH=16384 \
    BODY_LIMIT=1048576

WORKDIR /app

# Production dependencies only, from the lockfile; no install scripts; no npm cache left behind.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && rm -rf /root/.npm /tmp/*

# The compiled server and the bundled fixtures; package.json (read at start for the version) is above.
# Everything stays owned by root and read-only to the `node` user that runs the server.
COPY --from=build /app/dist ./dist
COPY fixtures ./fixtures

USER node
EXPOSE 8080
STOPSIGNAL SIGTERM
# GET /healthz on this container's own PORT (HTTPS when TLS is on), with node itself: no curl in slim
# images. Usable from outside too: --health-cmd "node /app/dist/src/healthcheck.js"
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "/app/dist/src/healthcheck.js"]

# OCI labels last, so a new VERSION/REVISION (--build-arg) does not invalidate the npm ci layer above.
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="graph-mock" \
      org.opencontainers.image.description="A local mock of the Microsoft Graph API for tests: Graph URLs, OData queries, envelopes, errors and headers, served from seeded fixtures." \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="docker.io/library/node:24-bookworm-slim"

# Exec form: node is PID 1 and receives SIGTERM itself; the server closes gracefully (exit 0).
# Arguments after the image name are passed to the server: `docker run graph-mock --help`.
ENTRYPOINT ["node", "/app/dist/src/server.js"]
