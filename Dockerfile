# Build with the full toolchain, run with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
# The operator console, built by Vite into dist/console (served at /console).
COPY console ./console
# The container always talks to a real PostgreSQL (DATABASE_URL), so the embedded
# server's binaries (optional dependencies) are left out.
RUN npm run build && npm prune --omit=dev --omit=optional

FROM node:20-bookworm-slim
# In a container the service must listen beyond loopback (the default everywhere else).
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The same V8 heap limit as `npm start` (see the README's Configuration section).
CMD ["node", "--max-old-space-size=1024", "dist/src/main.js"]
