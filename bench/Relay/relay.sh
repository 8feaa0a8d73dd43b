#!/usr/bin/env bash
# Relay benchmark (issues 5, 20): Mux MP4s from the sandbox into YouTube resumable uploads on the sandbox, with the
# Uploader's code path, beside plain `curl | curl` copies between the same two endpoints in the same run.
# Usage: bench/Relay/relay.sh [--concurrent N] [sizes in MiB…]   (default: 1 relay each of 100 and 1024 MiB)
#   --concurrent N: N copies at once per size, both ways (N curl|curl pipelines, then N relays in one process).
#   env MUX_MIB_PER_S=50 paces the Mux downloads (both copies) like a distant CDN.
set -euo pipefail
cd "$(dirname "$0")/../.."
concurrent=1
if [[ ${1:-} == --concurrent ]]; then concurrent=$2; shift 2; fi
sizes=("$@")
[[ ${#sizes[@]} -eq 0 ]] && sizes=(100 1024)
port=${PORT:-5391}
sandbox="http://127.0.0.1:$port"

dotnet build -c Release -nologo -clp:ErrorsOnly Orbyt.Sandbox >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly bench/Relay >/dev/null
dotnet Orbyt.Sandbox/bin/Release/net10.0/Orbyt.Sandbox.dll --urls "$sandbox" --Logging:LogLevel:Default=Warning >/tmp/orbyt-relay-sandbox.log 2>&1 &
sandbox_pid=$!
work=$(mktemp -d)
trap 'kill $sandbox_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "$sandbox/health" >/dev/null && break; sleep 0.2; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -sf -X POST -H 'Content-Type: application/json' -d "$2" "$sandbox/$1"; }
post _sandbox/settings '{"youtube_channel_daily_upload_limit":100000,"youtube_daily_insert_quota":100000}' >/dev/null
token() {
  local sub refresh
  sub=$(post _sandbox/identities '{"name":"curl"}' | json "['google']['sub']")
  refresh=$(post _sandbox/google/grants "{\"count\":1,\"sub\":\"$sub\"}" | json "['refresh_tokens'][0]")
  curl -sf -X POST -d "grant_type=refresh_token&refresh_token=$refresh&client_id=sandbox-client.apps.googleusercontent.com&client_secret=sandbox-google-secret" \
    "$sandbox/google-oauth2/token" | json "['access_token']"
}

echo "machine: $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for mib in "${sizes[@]}"; do
  bytes=$((mib * 1024 * 1024))
  # curl | curl: each download of a rendition streamed as one PUT into a fresh upload session, N at once.
  access=$(token)
  pace=null
  [[ ${MUX_MIB_PER_S:-0} -gt 0 ]] && pace=$((MUX_MIB_PER_S * 1024 * 1024))
  for i in $(seq 1 "$concurrent"); do
    url=$(post _sandbox/mux/assets "{\"size_bytes\":$bytes,\"ready_after_seconds\":0,\"throughput_bytes_per_second\":$pace}" | json "['url']")
    session=$(curl -sf -D - -o /dev/null -X POST -H "Authorization: Bearer $access" -H 'Content-Type: application/json' \
      -H "X-Upload-Content-Length: $bytes" -H 'X-Upload-Content-Type: video/mp4' -d '{"snippet":{"title":"curl"},"status":{"privacyStatus":"private"}}' \
      "$sandbox/youtube/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
    echo "$url $session" >"$work/copy-$i"
  done
  copies=()
  start=$(date +%s.%N)
  for i in $(seq 1 "$concurrent"); do
    read -r url session <"$work/copy-$i"
    ( curl -sf "$url" | curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $access" -H 'Content-Type: video/mp4' -H "Content-Length: $bytes" -T - "$session" ) &
    copies+=($!)
  done
  for pid in "${copies[@]}"; do wait "$pid" || { echo "a curl | curl copy failed" >&2; exit 1; }; done
  end=$(date +%s.%N)
  python3 -c "s=$end-$start; print(f'curl  concurrent=$concurrent size_mib=$mib seconds={s:.2f} mib_per_s={$mib*$concurrent/s:.1f}')"
  # The Uploader's path, in its own process so the peak RSS belongs to this run alone.
  dotnet bench/Relay/bin/Release/net10.0/Orbyt.Bench.Relay.dll --sandbox "$sandbox" --size-mib "$mib" --concurrent "$concurrent" --mux-mib-per-s "${MUX_MIB_PER_S:-0}"
done
