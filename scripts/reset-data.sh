#!/usr/bin/env bash
# Wipes Orbyt's local data so the next scripts/run.sh starts empty, as a first start does: the PostgreSQL database
# (clients and keys other than the bootstrap one, connections and their tokens, publications, jobs, webhook endpoints
# and deliveries) and Redis (the job stream, rate-limit windows). Run it while the AppHost is stopped.
#
#   scripts/reset-data.sh                        # the default data directory, and the container volumes if any
#   scripts/reset-data.sh --data-directory DIR   # the directory given to the AppHost as Orbyt:DataDirectory
#   scripts/reset-data.sh --secrets              # also forget the AppHost's generated secrets (bootstrap API key,
#                                                # token-encryption key, Postgres password): new ones on the next run
#
# The sandbox keeps nothing between runs anyway (its state is in memory).
set -euo pipefail
cd "$(dirname "$0")/.."

data_directory="${Orbyt__DataDirectory:-}"
secrets=false
while (($#)); do
  case "$1" in
    --data-directory) data_directory="${2:?--data-directory needs a directory}"; shift 2 ;;
    --secrets) secrets=true; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

# The dashboard's port answers while the AppHost runs: Postgres and Redis would keep their files open.
if (exec 3<>/dev/tcp/127.0.0.1/15080) 2>/dev/null; then
  echo "The AppHost is running (the dashboard answers on port 15080): stop it first." >&2
  exit 1
fi

# Where the AppHost keeps local redis-server/postgres data (Orbyt.AppHost/Infrastructure, DataRoot).
if [[ -z "$data_directory" ]]; then
  if [[ $EUID -eq 0 ]]; then data_directory=/var/lib/orbyt
  else data_directory="${XDG_DATA_HOME:-$HOME/.local/share}/orbyt"; fi
fi
if [[ -d "$data_directory" ]]; then
  rm -rf -- "$data_directory"
  echo "Removed $data_directory"
else
  echo "No local data at $data_directory"
fi

# The volumes the AppHost gives the containers when a container runtime answers.
for runtime in docker podman; do
  command -v "$runtime" >/dev/null 2>&1 && "$runtime" info >/dev/null 2>&1 || continue
  for volume in orbyt-postgres-data orbyt-redis-data; do
    if "$runtime" volume inspect "$volume" >/dev/null 2>&1; then
      "$runtime" volume rm "$volume" >/dev/null
      echo "Removed $runtime volume $volume"
    fi
  done
done

if $secrets; then
  dotnet user-secrets clear --project Orbyt.AppHost
  echo "Cleared the AppHost's user secrets (new bootstrap API key and vault key on the next run)"
fi
