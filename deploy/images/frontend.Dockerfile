# syntax=docker/dockerfile:1
# The web app: the built single-page app (frontend/dist, made by `make frontend`: Node 20 builds
# it, which Debian 12 does not ship) served by Debian's nginx, which proxies /api to the
# gateway. Its only setting is the gateway's address, API_GATEWAY_URL; the identity provider's
# settings reach the browser from the gateway's /api/config, and the gateway's own
# Content-Security-Policy is put on every page (nginx.conf.template says how).
#   make frontend && podman build -f deploy/images/frontend.Dockerfile -t frontend .
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /etc/nginx/sites-available \
      /etc/nginx/conf.d /var/www/html \
 && groupadd --gid 10001 otelbi \
 && useradd --uid 10001 --gid otelbi --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin otelbi
COPY deploy/images/nginx/nginx.conf.template /etc/otelbi/nginx.conf.template
COPY --chmod=0755 deploy/images/nginx/start.sh /usr/local/bin/otelbi-frontend
COPY deploy/images/nginx/livez.sh /usr/local/bin/otelbi-livez
COPY deploy/images/nginx/unavailable.html /etc/otelbi/unavailable.html
COPY frontend/dist /srv/otelbi
# What was built, also as a file. Reading the arguments in a RUN makes them part of the layer
# cache's key: a cached image labelled with another revision is never reused.
ARG VERSION=0.1.0 VCS_REF=unknown SOURCE_URL=
RUN printf 'version=%s\nrevision=%s\n' "$VERSION" "$VCS_REF" >/etc/otelbi/BUILD
LABEL org.opencontainers.image.title="OTel BI web app" \
      org.opencontainers.image.description="The OTel BI web app, served by nginx" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${VCS_REF}" \
      org.opencontainers.image.source="${SOURCE_URL}"
ENV API_GATEWAY_URL=http://api-gateway:8000
# The root filesystem may be read-only: nginx's configuration, pid and buffers go to /tmp
# (mount a tmpfs or an emptyDir there).
USER 10001:10001
EXPOSE 8080
STOPSIGNAL SIGQUIT
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["bash", "/usr/local/bin/otelbi-livez"]
ENTRYPOINT ["otelbi-frontend"]
