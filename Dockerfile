# ducha 督查 — a production image.
#   docker build -t ducha .
#   docker run -d --name ducha --env-file /etc/ducha/ducha.env -v ducha-data:/data -p 3000:3000 ducha
#
# Stage 1 installs the production dependencies, compiling better-sqlite3 (python3, make, g++);
# stage 2 is the runtime without compilers, running as the unprivileged user `node`.

FROM node:20-bookworm-slim AS install
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# The Prisma clients (SQLite's and PostgreSQL's) are generated at install (postinstall) from the schema.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/pg-schema.ts ./scripts/pg-schema.ts
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATABASE_URL=file:/data/ducha.db \
    PORT=3000
WORKDIR /app
COPY --from=install --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json package-lock.json prisma.config.ts tsconfig.json manifest.yml ./
COPY --chown=node:node prisma ./prisma
COPY --chown=node:node src ./src
# The generated client is written next to the sources at install.
COPY --from=install --chown=node:node /app/src/generated ./src/generated
RUN mkdir -p /data && chown node:node /data
USER node
# The SQLite database and its WAL files live here: back it up (see README, Backups). With
# DATABASE_URL=postgresql://… the volume is unused.
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM lets ducha finish what is in flight; what it still owes Slack stays in the outbox.
STOPSIGNAL SIGTERM
CMD ["node", "--import", "tsx", "src/main.ts"]
