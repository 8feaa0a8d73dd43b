#!/usr/bin/env bash
# Installs what is missing, then starts the whole system (Redis, Postgres, migrations, API, workers, sandbox)
# through the Aspire AppHost. The dashboard URL is printed once it is up.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/prerequisites.sh
exec dotnet run --project Orbyt.AppHost --launch-profile http "$@"
