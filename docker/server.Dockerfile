# syntax=docker/dockerfile:1
# Promethium server image. Build from the repository root:
#   docker build -f docker/server.Dockerfile -t promethium/server .

# --- build: install the workspace, compile, and deploy a production-only copy of the app
FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN npm i -g pnpm@12.21.0
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY apps ./apps
COPY tools ./tools
COPY bench/package.json ./bench/package.json
RUN pnpm install --frozen-lockfile \
 && TURBO_TELEMETRY_DISABLED=1 pnpm exec turbo run build --filter=@promethium/server... \
 && pnpm --filter=@promethium/server deploy --prod --legacy /out

# --- runtime: Node only, the deployed app, a non-root user and a data volume
FROM node:20-bookworm-slim
ENV NODE_ENV=production
COPY --from=build /out /app
COPY docker/prometheus.yml /etc/promethium/prometheus.yml
RUN mkdir -p /prometheus && chown node:node /prometheus
USER node
WORKDIR /prometheus
VOLUME ["/prometheus"]
EXPOSE 9090
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9090/-/healthy').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--heap-growing-percent=50", "--no-memory-reducer", "/app/dist/main.js"]
CMD ["--config.file=/etc/promethium/prometheus.yml", "--storage.tsdb.path=/prometheus", "--web.listen-address=:9090"]
