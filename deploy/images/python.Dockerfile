# syntax=docker/dockerfile:1
# The three Python services, one target each: api-gateway, aw-service, wwi-service.
#   podman build -f deploy/images/python.Dockerfile --target aw-service -t aw-service .
# The base is a build argument (the pipeline passes the registry's image; tests here pass a local
# one made from Debian's packages by deploy/images/debian-base.sh). Nothing is downloaded but
# through the package managers: Debian's, and pip installing exactly requirements.lock (hashes).
ARG BASE_IMAGE=debian:bookworm-slim

# Debian's Python 3.11 and the few libraries the product loads at run time:
#   libltdl7          the ODBC driver bundled by mssql-python (SQL Server connections)
#   fonts-dejavu-core the font of exported PDFs
FROM ${BASE_IMAGE} AS python
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 libltdl7 fonts-dejavu-core ca-certificates \
 && rm -rf /var/lib/apt/lists/*

FROM python AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-venv \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# Behind a TLS-inspecting proxy, pass its CA bundle as the build secret `ca-certificates`
# (scripts/images.sh does): it is mounted for the install steps only, never stored in a layer.
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements.lock ./
RUN --mount=type=secret,id=ca-certificates \
    if [ -s /run/secrets/ca-certificates ]; then export PIP_CERT=/run/secrets/ca-certificates; fi \
 && python3 -m venv /opt/otelbi \
 && /opt/otelbi/bin/pip install --no-deps --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY src ./src
# The product itself, then what only installing needed: pip, the packages' own test suites.
RUN --mount=type=secret,id=ca-certificates \
    if [ -s /run/secrets/ca-certificates ]; then export PIP_CERT=/run/secrets/ca-certificates; fi \
 && /opt/otelbi/bin/pip install --no-deps . \
 && /opt/otelbi/bin/pip uninstall --yes --quiet pip \
 && find /opt/otelbi -depth -type d \( -name tests -o -name __pycache__ \) -exec rm -rf {} + \
 && python3 -m compileall -q -j 0 /opt/otelbi/lib

FROM python AS runtime
RUN groupadd --gid 10001 otelbi \
 && useradd --uid 10001 --gid otelbi --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin otelbi \
 && install -d -o otelbi -g otelbi -m 0750 /data /reports
COPY --from=build /opt/otelbi /opt/otelbi
# What was built, also as a file. Reading the arguments in a RUN makes them part of the layer
# cache's key: a cached image labelled with another revision is never reused.
ARG VERSION=0.1.0 VCS_REF=unknown SOURCE_URL=
RUN printf 'version=%s\nrevision=%s\n' "$VERSION" "$VCS_REF" >/opt/otelbi/BUILD
LABEL org.opencontainers.image.title="OTel BI" \
      org.opencontainers.image.description="Business intelligence over SQL Server warehouses, traceable in OpenTelemetry" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${VCS_REF}" \
      org.opencontainers.image.source="${SOURCE_URL}"

# The root filesystem may be read-only: Python writes no bytecode (it is compiled above), and
# the only paths written are /data (embedded warehouses), /reports and /tmp: mount volumes
# there (no VOLUME line, so no anonymous volume is left behind where one is not wanted).
ENV PATH=/opt/otelbi/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    DATA_DIR=/data \
    REPORT_OUTPUT_DIR=/reports \
    FRONTEND_DIST_DIR=
# Settings come from the environment only: no .env is read from a root-owned, empty directory.
WORKDIR /opt/otelbi
USER 10001:10001
ENTRYPOINT ["otelbi"]
# Healthy = ready: the store and the warehouse answer (GET /readyz); /livez is for restarts.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python3", "-m", "otelbi.probe", "/readyz"]

FROM runtime AS api-gateway
ENV PORT=8000
EXPOSE 8000
CMD ["serve", "gateway"]

FROM runtime AS aw-service
ENV PORT=8001
EXPOSE 8001
CMD ["serve", "aw"]

FROM runtime AS wwi-service
ENV PORT=8002
EXPOSE 8002
CMD ["serve", "wwi"]
