# The one Kubeless image: `kubeless controller|webhook|api|kafka-trigger|prepare|invoke`.
# The chart runs it as uid 1000 (the base image's "node" user) with a read-only root filesystem.
FROM node:20-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the "prepare" build needs the sources, copied below.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json main.ts ./
COPY lib lib
COPY openapi openapi
COPY controller controller
COPY webhook webhook
COPY api api
COPY runtimes runtimes
COPY local local
COPY cli cli
COPY kafka kafka
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-alpine
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist dist
# kubeless api serves this document at /openapi/v2 and /openapi/v3 (dist/api/run.js reads it).
COPY openapi/subresources.kubeless.io_v1.yaml openapi/
COPY bin bin
# Function pods run `kubeless prepare` (controller/config.ts kubelessCommand) and CronJobs
# `kubeless invoke` with a command of their own, so the binary must be on PATH.
RUN ln -s /app/bin/kubeless.js /usr/local/bin/kubeless
USER 1000:1000
ENTRYPOINT ["node", "/app/bin/kubeless.js"]
CMD ["--help"]
