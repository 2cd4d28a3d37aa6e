#!/usr/bin/env bash
# Makes the README's pictures of the operator console (docs/screenshots: the overview, an SMS mailing, an email campaign)
# from real data: ConsolePageBench starts the identity service, TaskApi and the console over a database seeded by
# bench/ConsoleQueries/seed.sql, signs in with Chromium and saves each page at 1280×800. About a minute after the build.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/prerequisites.sh
dotnet run -c Release --project bench/ConsolePageBench -- --screenshots docs/screenshots "$@"
