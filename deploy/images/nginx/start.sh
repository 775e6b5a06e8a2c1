#!/bin/bash
# The frontend container's entry point: writes nginx's configuration from the template with
# the gateway's address (API_GATEWAY_URL) and this container's DNS resolver (so the gateway's
# name is looked up again as it moves, not once at start), then runs nginx in the foreground.
set -euo pipefail

gateway=${API_GATEWAY_URL:-http://api-gateway:8000}
if [[ ! $gateway =~ ^https?://[A-Za-z0-9.-]+(:[0-9]+)?$ ]]; then
  echo "otelbi-frontend: API_GATEWAY_URL must be scheme://host[:port] (got '$gateway')" >&2
  exit 2
fi
resolver=$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf)
if [[ -z $resolver ]]; then
  echo "otelbi-frontend: no nameserver in /etc/resolv.conf to look up $gateway with" >&2
  exit 2
fi
[[ $resolver == *:* ]] && resolver="[$resolver]"

sed -e "s|@API_GATEWAY_URL@|$gateway|g" -e "s|@RESOLVER@|$resolver|g" \
  /etc/otelbi/nginx.conf.template >/tmp/nginx.conf
exec nginx -e stderr -c /tmp/nginx.conf -g 'daemon off;'
