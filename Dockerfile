# One image recipe for every Gatehouse service, chosen with the SERVICE build argument
# (the workspace directory) and PORT (its listen port, used by HEALTHCHECK):
#
#   docker build --build-arg SERVICE=services/auth-service --build-arg PORT=4001 -t gatehouse-auth .
#
# docker-compose.yml builds all of them. The build stage compiles the whole monorepo with tsc;
# the runtime stage installs only the production dependencies of SERVICE and @gatehouse/shared
# (no TypeScript, no Jest, not the root `node` devDependency) and runs as the unprivileged
# `node` user.
#
# NODE_IMAGE is the base of both stages: the official Node 24 slim image by default, or any
# image laid out like it (Node and npm on PATH, a `node` user with uid 1000) for machines that
# cannot reach Docker Hub; `.ci/node-base-image` builds such a stand-in for CI.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests first, so the dependency layer is cached until a package.json or the lock changes.
# --ignore-scripts: nothing the build needs has an install script (the root `node` package's
# preinstall would download a second Node.js; the image already has Node 24).
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY gateway/package.json gateway/
COPY services/auth-service/package.json services/auth-service/
COPY services/api-service/package.json services/api-service/
COPY services/dev-idp/package.json services/dev-idp/
COPY test/package.json test/
COPY cli/package.json cli/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY shared/ shared/
COPY gateway/ gateway/
COPY services/ services/
COPY cli/ cli/
# The image's own node runs tsc: node_modules/.bin/node (the root devDependency) is not set up.
RUN node node_modules/typescript/bin/tsc -b

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ARG PORT=8080
ENV NODE_ENV=production \
    PORT=${PORT}
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/shared/package.json shared/
COPY --from=build /app/${SERVICE}/package.json ${SERVICE}/
# Only this workspace and the shared package are present, so npm installs exactly their
# production dependency trees; npm's cache and logs are dropped to keep the layer small.
RUN test -n "${SERVICE}" \
    && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
        --workspace "${SERVICE}" --include-workspace-root=false \
    && rm -rf /root/.npm
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/${SERVICE}/dist ${SERVICE}/dist
WORKDIR /app/${SERVICE}
# The auth-service keeps its database and keys under DATA_DIR=/data (a volume in compose).
RUN mkdir -p /data && chown node:node /data
USER node
# No EXPOSE: the port is a build argument, compose wires the network, and only the gateway
# is published.
# node runs as PID 1 in exec form, so SIGTERM reaches the service, which drains in-flight
# requests and exits (compose also sets `init: true` to reap any stray processes).
STOPSIGNAL SIGTERM
# Slim images have no curl; Node's fetch does the probe. A short interval, because the first
# probe runs one interval after start and that is when the container turns healthy (Docker
# 20.10 and Compose v1 know no start_interval). (No --start-period: the services listen
# within a second or two, and dockerfilelint misreads that option.)
HEALTHCHECK --interval=2s --timeout=2s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
