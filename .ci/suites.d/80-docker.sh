#!/usr/bin/env bash
# docker/ validated offline: compose config, COPY sources, and each image's exact entrypoint run outside Docker.
set -uo pipefail
cd "$(dirname "$0")/../.."
node .ci/docker-check.mjs
