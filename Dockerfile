# syntax=docker/dockerfile:1
# Build: a virtual environment with the pinned dependencies and the project.
FROM python:3.11-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml constraints.txt README.md ./
COPY api ./api
COPY db ./db
RUN /opt/venv/bin/pip install -c constraints.txt .

# Run: no build tools, a non-root user, the policies beside the working directory.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    RETURNCASES_ENV=production \
    RETURNCASES_POLICY_DIR=/app/policies \
    DATABASE_URL=sqlite:////app/data/returncases.db
RUN useradd --system --uid 10001 --home-dir /app returncases \
    && mkdir -p /app/data && chown returncases /app/data
COPY --from=builder /opt/venv /opt/venv
COPY policies /app/policies
WORKDIR /app
USER returncases
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
ENTRYPOINT ["returncases"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
