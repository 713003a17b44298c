#!/usr/bin/env bash
# Lifeguard on Payara Server: remove the pool definition (then: asadmin undeploy lifeguard).
set -euo pipefail
ASADMIN="${PAYARA_HOME:-/opt/payara6}/bin/asadmin"
"$ASADMIN" delete-admin-object lifeguard/redis
