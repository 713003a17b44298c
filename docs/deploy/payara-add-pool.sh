#!/usr/bin/env bash
# Lifeguard on Payara Server: define one pool in the deployed lifeguard RAR (first: asadmin deploy lifeguard.rar).
set -euo pipefail
ASADMIN="${PAYARA_HOME:-/opt/payara6}/bin/asadmin"
"$ASADMIN" create-admin-object --raname lifeguard --restype dev.lifeguard.tcp.TcpPool \
  --classname dev.lifeguard.jca.TcpPoolAdminObject \
  --property 'poolName=redis:host=127.0.0.1:port=6379:maxSize=10:ping=exchange\:PING\\r\\n\:+PONG\\r\\n' \
  lifeguard/redis
