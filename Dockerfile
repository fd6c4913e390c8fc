# syntax=docker/dockerfile:1
#
# logbridge container image.
#
#   docker build -t logbridge:0.1.0 .                      # the service (the default target, `runtime`)
#   docker build --target lab -t logbridge-lab-tools .     # the docker-compose stack's log generator and subscriber
#
# Pin the base image by digest for reproducible builds: --build-arg NODE_IMAGE=node:24-slim@sha256:<digest>.
# This file is checked statically by test/unit/deploy/dockerfile.test.ts (no Docker engine runs in CI).
ARG NODE_IMAGE=node:24-slim

# ---- build: compile the TypeScript sources to dist/ (dev dependencies live only in this stage) ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- prod-deps: production dependencies only, no install scripts ----
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

# ---- lab: the compose stack's log generator (TypeScript run by Node 24) and Solace subscriber; not for production ----
FROM ${NODE_IMAGE} AS lab
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY lab/generator ./lab/generator
COPY compose/lab-tools ./compose/lab-tools
USER 1000:1000
ENTRYPOINT ["node"]

# ---- runtime: the service (default target) ----
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=https://github.com/acme/logbridge
LABEL org.opencontainers.image.title="logbridge" \
      org.opencontainers.image.description="Event Hubs (Kafka endpoint) to Splunk HEC and Solace PubSub+, committing only what every destination accepted." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.documentation="${SOURCE}/blob/main/docs/deploy.md" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/node:24-slim"
# In a container the REST API (health, readiness, metrics) must be reachable from outside: bind every interface.
# Closed by default: on a non-loopback address logbridge refuses to start without a token
# (-e LOGBRIDGE_REST_AUTH_TOKEN=… or a secret file in LOGBRIDGE_REST_AUTH_TOKEN_FILE; LB_REST_UNPROTECTED), unless
# LOGBRIDGE_REST_AUTH_REQUIRED=false is given explicitly.
# Connector files (*.json) placed in /etc/logbridge/connectors start with the worker.
ENV NODE_ENV=production \
    LOGBRIDGE_REST_HOST=0.0.0.0 \
    LOGBRIDGE_CONNECTORS_DIR=/etc/logbridge/connectors
WORKDIR /app
RUN mkdir -p /etc/logbridge/connectors
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The node image's unprivileged user, by number so that Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 8083
# SIGTERM: stop fetching, drain up to drain.timeout.ms, commit, leave the group, exit 0.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.LOGBRIDGE_REST_PORT || 8083) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The heap flags of the logbridge command's shebang (src/cli/main.ts); the Helm chart derives them from the
# memory limit instead.
ENTRYPOINT ["node", "--max-old-space-size=128", "--max-semi-space-size=16", "--enable-experimental-regexp-engine-on-excessive-backtracks", "dist/cli/main.js"]
CMD ["run"]
