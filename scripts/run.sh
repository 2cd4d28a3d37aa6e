#!/usr/bin/env bash
# Runs the system on this machine: installs/starts the prerequisites, then the AppHost, which starts
# the services (TaskApi on http://127.0.0.1:5080). Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/prerequisites.sh
exec dotnet run --project AppHost -- "$@"
