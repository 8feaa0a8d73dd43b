#!/usr/bin/env bash
# Dry-run benchmark (issue 18): POST /v1/publications/validate for a publication to three targets (a Facebook Page, an
# Instagram account, a YouTube channel) whose video is on the sandbox's Mux — the whole rule set per request: the
# targets' facts and status, the media URL policy, the probe (ranged GETs of the MP4's head and moov box) and each
# platform's specification, the warnings. Reports p50/p90/p99/max at the API (target: p99 ≤ 300 ms).
#
# The services run directly (Release builds, no AppHost, telemetry export off) against a throw-away PostgreSQL and
# redis-server, as bench/Pipeline does.
#
# Usage: bench/Validate/validate.sh [seconds (60)] [connections (8)]
#   env: THREADS (wrk threads, 2), WARMUP (seconds, 20), PORT_OFFSET=N moves every port by N, KEEP=1 keeps the logs,
#        LATENCY=realistic makes the sandbox's Mux answer like a CDN (p50 20 ms, p99 100 ms per request).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
duration=${1:-60}
connections=${2:-8}
threads=${THREADS:-2}
warmup=${WARMUP:-20}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$pgbin/initdb" ]] || { echo "PostgreSQL is missing: apt-get install -y postgresql" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install -y redis-server" >&2; exit 1; }

for project in Orbyt.Api Orbyt.Sandbox Orbyt.MigrationService; do
  dotnet build -c Release -nologo -clp:ErrorsOnly "$project" >/dev/null
done
bin() { echo "$root/$1/bin/Release/net10.0/$1.dll"; }

work=$(mktemp -d /var/tmp/orbyt-validate-XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n ${KEEP:-} ]] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

offset=${PORT_OFFSET:-0}
pg_port=$((5591 + offset)) redis_port=$((6491 + offset)) sandbox_port=$((5592 + offset)) api_port=$((5593 + offset))
sandbox="http://127.0.0.1:$sandbox_port"
api="http://127.0.0.1:$api_port"
as_postgres=()
[[ $(id -u) -eq 0 ]] && as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
mkdir -p "$work/pg"
[[ $(id -u) -eq 0 ]] && chown postgres:postgres "$work/pg"
"${as_postgres[@]}" "$pgbin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${as_postgres[@]}" "$pgbin/postgres" -D "$work/pg" -p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories= >"$work/postgres.log" 2>&1 &
pids+=($!)
redis-server --port $redis_port --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do psql -h 127.0.0.1 -p $pg_port -U postgres -Atc 'select 1' >/dev/null 2>&1 && break; sleep 0.2; done
psql -h 127.0.0.1 -p $pg_port -U postgres -qc 'create database orbyt'

api_key=$(python3 -c "import secrets; print('orb_' + ''.join(secrets.choice('abcdefghijkmnpqrstuvwxyz23456789') for _ in range(16)) + '_' + secrets.token_urlsafe(32))")
export ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning
export ConnectionStrings__orbyt="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=orbyt"
export ConnectionStrings__redis="127.0.0.1:$redis_port"
export Orbyt__Vault__Keys__k1=$(head -c 32 /dev/urandom | base64)
export Platforms__Meta__AppId=1234567890 Platforms__Meta__AppSecret=sandbox-meta-secret
export Platforms__Google__ClientId=sandbox-client.apps.googleusercontent.com Platforms__Google__ClientSecret=sandbox-google-secret
export Platforms__Meta__DialogBaseUrl=$sandbox/facebook/ Platforms__Meta__GraphBaseUrl=$sandbox/graph/
export Platforms__Google__AccountsBaseUrl=$sandbox/google-accounts/ Platforms__Google__OAuth2BaseUrl=$sandbox/google-oauth2/
export Platforms__Google__YouTubeBaseUrl=$sandbox/youtube/ Platforms__Mux__StreamBaseUrl=$sandbox/mux-stream/
export Platforms__Sandbox__BaseUrl=$sandbox Orbyt__Media__DevelopmentOrigins__0=$sandbox

dotnet "$(bin Orbyt.MigrationService)" >"$work/migrations.log" 2>&1
dotnet "$(bin Orbyt.Sandbox)" --urls "$sandbox" >"$work/sandbox.log" 2>&1 &
pids+=($!)
Orbyt__BootstrapApiKey=$api_key Orbyt__OAuth__PublicBaseUrl=$api Orbyt__ApiRateLimit__RequestsPerMinute=100000000 \
  dotnet "$(bin Orbyt.Api)" --urls "$api" >"$work/api.log" 2>&1 &
pids+=($!)
for url in "$sandbox/health" "$api/health"; do
  for _ in $(seq 1 150); do curl -sf "$url" >/dev/null && break; sleep 0.2; done
done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -sS --fail-with-body -X "$1" -H 'Content-Type: application/json' -H "X-Api-Key: $api_key" -d "$3" "$2"; }
case ${LATENCY:-instant} in
  realistic) post POST "$sandbox/_sandbox/latency" '{"seed":18,"rules":[{"platform":"mux","path_prefix":"/mux-stream","p50_ms":20,"p99_ms":100}]}' >/dev/null ;;
  instant) ;;
  *) echo "LATENCY must be instant or realistic" >&2; exit 1 ;;
esac
identity=$(post POST "$sandbox/_sandbox/identities" '{"name":"Bench"}' | json "['id']")
post POST "$sandbox/_sandbox/settings" "{\"auto_consent\":{\"meta\":\"$identity\",\"google\":\"$identity\"}}" >/dev/null
return_url="https://bench.orbyt.test/connected/"
post PATCH "$api/v1/client" "{\"allowed_return_urls\":[\"$return_url\"]}" >/dev/null
for platform in facebook instagram youtube; do
  url=$(post POST "$api/v1/connections/$platform/authorize" "{\"user_id\":\"bench-user\",\"return_url\":\"$return_url\"}" | json "['authorization_url']")
  for _ in $(seq 1 10); do
    [[ $url == "$return_url"* ]] && break
    url=$(curl -s -o /dev/null -w '%{redirect_url}' "$url")
  done
  [[ $url == *status=connected* ]] || { echo "connecting $platform failed: $url" >&2; exit 1; }
done
targets=$(curl -sf -H "X-Api-Key: $api_key" "$api/v1/connections?user_id=bench-user" \
  | python3 -c "import json,sys; d=json.load(sys.stdin)['data']; print(json.dumps([{'connection_id': p[0]['id']} for p in ([c for c in d if c['platform']==x] for x in ('facebook','instagram','youtube'))]))")
# A 9:16 Reel-shaped MP4 of 30 s, 8 MiB, moov at the end (the probe's costliest case: it walks to the last box).
video=$(post POST "$sandbox/_sandbox/mux/assets" '{"size_bytes":8388608,"duration_seconds":30,"width":1080,"height":1920,"moov_at_end":true}' | json "['url']")
body=$(python3 -c "import json,sys; print(json.dumps({'user_id':'bench-user','targets':json.loads(sys.argv[1]),'media':{'type':'video','url':sys.argv[2]},'caption':'bench','title':'Bench'}))" "$targets" "$video")
first=$(post POST "$api/v1/publications/validate" "$body")
[[ $first == '{"ok":true'* ]] || { echo "the bench publication does not validate: $first" >&2; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "validate: 3 targets, video on the sandbox's Mux (moov at the end), wrk $threads threads, $connections connections, ${duration}s after ${warmup}s warm-up, Mux latency ${LATENCY:-instant}"
(( warmup > 0 )) && wrk -t"$threads" -c"$connections" -d"${warmup}s" -s bench/Validate/validate.lua "$api" -- "$api_key" "$body" >/dev/null
wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s -s bench/Validate/validate.lua "$api" -- "$api_key" "$body" | tail -1
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
