# syntax=docker/dockerfile:1
#
# Production image of the return-case API.
#   docker build -t returncases .
#   docker run -p 8000:8000 \
#     -v "$PWD/issuers:/etc/returncases:ro" -e RETURNCASES_ISSUERS_FILE=/etc/returncases/issuers.json \
#     -v returncases-data:/app/data returncases
# Production mode refuses to start without RETURNCASES_ISSUERS_FILE (the development issuer is
# never trusted). Set DATABASE_URL=postgresql://… to use PostgreSQL instead of SQLite in /app/data.
# `serve` migrates the database before it starts; `returncases db upgrade` does it on its own.

# --- Build: a wheel of the project (with its migrations, default policies and page assets),
# installed with the pinned versions.
FROM python:3.11-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml constraints.txt README.md ./
COPY api ./api
COPY db ./db
COPY policies ./policies
COPY build_support ./build_support
COPY MANIFEST.in ./
RUN /opt/venv/bin/pip wheel --no-deps --wheel-dir /wheels . \
    && /opt/venv/bin/pip install --constraint constraints.txt /wheels/returncases-*.whl \
    && /opt/venv/bin/python -c "import db.migrate as m; assert (m.MIGRATIONS_DIR / 'script.py.mako').is_file()" \
    && cd / && /opt/venv/bin/returncases policy lint

# --- Run: the virtual environment, no build tools, a non-root user. The wheel's default policies
# apply; mount others and set RETURNCASES_POLICY_DIR to override them.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite:////app/data/returncases.db \
    RETURNCASES_ENV=production
RUN groupadd --system --gid 10001 returncases \
    && useradd --system --uid 10001 --gid returncases --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin returncases \
    && mkdir -p /app/data \
    && chown returncases:returncases /app/data
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
VOLUME ["/app/data"]
USER returncases
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=3)"]
ENTRYPOINT ["returncases"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
