#!/usr/bin/env bash
# Installs what running and testing Orbyt needs on a Debian machine, and only what is missing.
set -euo pipefail

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# redis-cli creates the three-node Redis Cluster of the tests' cluster run (scripts/test.sh).
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
if ! command -v postgres >/dev/null 2>&1 && ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  need+=(postgresql)
fi
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
# python3: the quickstart's webhook receiver, which a test runs as the quickstart gives it.
command -v python3 >/dev/null 2>&1 || need+=(python3)
for extra in "$@"; do
  case "$extra" in
    chromium) command -v chromium >/dev/null 2>&1 || need+=(chromium) ;;
    # node: the TypeScript client's build and node --test suite (Debian's nodejs is enough), and npm for
    # tests/node-googleapis, whose googleapis needs node >= 22: that package installs it as its "node" devDependency.
    node)
      if ! command -v node >/dev/null 2>&1; then need+=(nodejs npm)
      elif ! command -v npm >/dev/null 2>&1; then need+=(npm); fi ;;
  esac
done

if ((${#need[@]})); then
  sudo=""
  [[ $EUID -ne 0 ]] && sudo="sudo"
  echo "Installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# postgres refuses to run as root: as root the AppHost runs it as the postgres user, which must exist.
if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --create-home --shell /bin/bash postgres
fi

command -v dotnet >/dev/null 2>&1 || { echo "The .NET 10 SDK is required (dotnet on PATH)." >&2; exit 1; }
