#!/usr/bin/env bash
# Installs Debian's reference Prometheus components for interop tests, without letting
# their package scripts start daemons on the default ports.
set -euo pipefail
if [ -x /usr/bin/prometheus ] && [ -x /usr/bin/prometheus-pushgateway ] && [ -x /usr/bin/promtool ] \
  && [ -x /usr/bin/prometheus-node-exporter ] && [ -x /usr/bin/victoria-metrics ] \
  && [ -x /usr/bin/prometheus-alertmanager ] && [ -x /usr/bin/htpasswd ] && [ -x /usr/bin/docker-compose ] && [ -x /usr/bin/chromium ] && /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null; then
  echo "reference stack already installed"; exit 0
fi
guard=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; guard=1
fi
trap '[ "$guard" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus prometheus-pushgateway prometheus-node-exporter \
  prometheus-alertmanager victoria-metrics python3-prometheus-client docker-compose chromium apache2-utils
# Daemons may have been started anyway where services run: stop them so ports are free.
for s in prometheus prometheus-pushgateway prometheus-node-exporter prometheus-alertmanager victoria-metrics; do
  (command -v systemctl >/dev/null && systemctl stop "$s" 2>/dev/null) || true
  pkill -x "$s" 2>/dev/null || true
done
