#!/usr/bin/env bash
# Installs what the services, the tests and the README's commands (curl, jq; wrk, the benchmarks' load generator) need from
# Debian's archive and makes sure a PostgreSQL server is running. Idempotent: a second run only checks and exits quickly.
set -euo pipefail

packages=(postgresql redis-server kcat chromium curl jq wrk)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  echo "prerequisites: installing ${missing[*]}"
  sudo_cmd=""
  [[ $EUID -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian starts services through systemd, which is absent in containers: start the cluster directly.
if ! pg_lsclusters -h 2>/dev/null | awk '{print $4}' | grep -q online; then
  cluster_version=$(pg_lsclusters -h | awk 'NR==1{print $1}')
  cluster_name=$(pg_lsclusters -h | awk 'NR==1{print $2}')
  echo "prerequisites: starting PostgreSQL $cluster_version/$cluster_name"
  pg_ctlcluster "$cluster_version" "$cluster_name" start
fi

# The services and tests connect over TCP as postgres/postgres.
runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD 'postgres';" >/dev/null

echo "prerequisites: ready"
