# syntax=docker/dockerfile:1
# One image for every Arbees service (`arbees run <service>` picks it, `arbees migrate` applies the schema),
# plus the dashboard image (`--target dashboard`): the frontend built with Node 20 and served by nginx.
#
#   docker build -t arbees .                                 # the services (the last stage, the default)
#   docker build -t arbees-dashboard --target dashboard .    # nginx + frontend/dist, proxies /api to `api`
#
# No secret and no data set is copied into any layer (.dockerignore keeps .env, keys, data and caches out);
# settings and secrets arrive as environment variables at run time.

# --- the dashboard's build: npm ci + vite build into /src/dist -------------------------------------------
FROM node:20.18.1-bookworm-slim AS frontend-build
WORKDIR /src
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# --- the dashboard image: unprivileged nginx (uid 101, port 8080) ----------------------------------------
FROM nginxinc/nginx-unprivileged:1.27.3-alpine AS dashboard
COPY deploy/nginx/default.conf.template /etc/nginx/templates/default.conf.template
COPY --from=frontend-build /src/dist /usr/share/nginx/html
ENV API_UPSTREAM=api:8000
USER 101
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD wget -q -O /dev/null http://127.0.0.1:8080/nginx-health || exit 1

# --- the Python build: a virtual environment with the project and its dependencies -----------------------
FROM python:3.11.11-slim-bookworm AS python-build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
# Compilers only here, for a dependency without a wheel; the final stage copies the venv, not the tools.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY markets ./markets
COPY services ./services
RUN /opt/venv/bin/pip install --no-compile . && /opt/venv/bin/python -m compileall -q /opt/venv

# --- the service image: slim Python, non-root, no build tools --------------------------------------------
FROM python:3.11.11-slim-bookworm AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ARBEES_DATA_DIR=/var/lib/arbees \
    ARBEES_HEALTH_PORT=9100 \
    API_DASHBOARD_DIR=/opt/arbees/dashboard \
    MPLCONFIGDIR=/tmp/matplotlib \
    PAPER_TRADING=1
RUN groupadd --system --gid 10001 arbees \
    && useradd --system --uid 10001 --gid arbees --home-dir /home/arbees --create-home --shell /usr/sbin/nologin arbees \
    && install -d -o arbees -g arbees -m 0700 /var/lib/arbees
COPY --from=python-build /opt/venv /opt/venv
# The built dashboard, served by the api at / where no nginx runs in front (the AWS deployment).
COPY --from=frontend-build /src/dist /opt/arbees/dashboard
COPY --chmod=0755 deploy/docker/entrypoint.sh /usr/local/bin/arbees-entrypoint
COPY --chmod=0755 deploy/docker/healthcheck.py /usr/local/bin/arbees-healthcheck
WORKDIR /home/arbees
USER arbees
VOLUME ["/var/lib/arbees"]
# Every service answers /health on ARBEES_HEALTH_PORT (9100) inside its container: 200 ok, 503 degraded.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["arbees-healthcheck"]
ENTRYPOINT ["arbees-entrypoint"]
CMD ["--help"]
