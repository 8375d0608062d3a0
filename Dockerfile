# syntax=docker/dockerfile:1
# The Tobira BFF for AWS (TOBIRA_MODE=aws): `docker build -t tobira .`
#
# Stage 1 installs every package and builds the SPA (dist/web) and the server bundle
# (dist/server/main.mjs, all npm packages inlined by `npm run build:server`). Stage 2 is Node 22
# with those two folders only: no node_modules, no TypeScript at run time, no local stand-ins.

FROM node:22-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm run build:server

FROM node:22-alpine AS runtime
ENV NODE_ENV=production \
    TOBIRA_MODE=aws \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /src/dist/server ./dist/server
COPY --from=build /src/dist/web ./dist/web
# Root owns the files; the process runs as the image's unprivileged "node" user.
USER node
EXPOSE 3000
# Liveness only (/healthz): /readyz also checks Cognito and DynamoDB, which is for the load balancer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (bff/main.ts drains and exits).
# Heap sizes pinned to what V8 derives for the task's 1 GiB (infra/bff-service.ts): 4 MiB semi-spaces,
# 512 MiB old generation (a quarter of the memory, doubled on 64-bit). Derived from the host's memory
# they would grow with a bigger task, and `npm run bench` and the compiled-server test, which start
# the bundle with these flags, would measure another server (on a 24 GiB host: 16 MiB and 4 GiB,
# about 25 MiB more RSS; README, "Performance of the BFF").
# No --enable-source-maps: it keeps the decoded map of the whole bundle (about 57 MiB of heap) from
# the first stack trace on. Function names stay (keepNames); `npm run decode-stack` maps a logged
# stack's positions to the TypeScript sources with dist/server/main.mjs.map, kept in the image for that.
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=512", "dist/server/main.mjs"]
