#!/usr/bin/env bash
# Relay benchmark (issue 5): a Mux MP4 from the sandbox into a YouTube resumable upload on the sandbox, with the
# Uploader's code path, beside a plain `curl | curl` copy between the same two endpoints in the same run.
# Usage: bench/Relay/relay.sh [sizes in MiB…]   (default: 100 1024)
#   env MUX_MIB_PER_S=50 paces the Mux downloads (both copies) like a distant CDN.
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("${@:-100 1024}")
[[ $# -eq 0 ]] && sizes=(100 1024)
port=5391
sandbox="http://127.0.0.1:$port"

dotnet build -c Release -nologo -clp:ErrorsOnly Orbyt.Sandbox >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly bench/Relay >/dev/null
dotnet Orbyt.Sandbox/bin/Release/net10.0/Orbyt.Sandbox.dll --urls "$sandbox" --Logging:LogLevel:Default=Warning >/tmp/orbyt-relay-sandbox.log 2>&1 &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "$sandbox/health" >/dev/null && break; sleep 0.2; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
token() {
  local sub refresh
  sub=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{"name":"curl"}' "$sandbox/_sandbox/identities" | json "['google']['sub']")
  refresh=$(curl -sf -X POST -H 'Content-Type: application/json' -d "{\"count\":1,\"sub\":\"$sub\"}" "$sandbox/_sandbox/google/grants" | json "['refresh_tokens'][0]")
  curl -sf -X POST -d "grant_type=refresh_token&refresh_token=$refresh&client_id=sandbox-client.apps.googleusercontent.com&client_secret=sandbox-google-secret" \
    "$sandbox/google-oauth2/token" | json "['access_token']"
}

for mib in "${sizes[@]}"; do
  bytes=$((mib * 1024 * 1024))
  # curl | curl: download the rendition and stream it as one PUT into a fresh upload session.
  access=$(token)
  pace=null
  [[ ${MUX_MIB_PER_S:-0} -gt 0 ]] && pace=$((MUX_MIB_PER_S * 1024 * 1024))
  url=$(curl -sf -X POST -H 'Content-Type: application/json' -d "{\"size_bytes\":$bytes,\"ready_after_seconds\":0,\"throughput_bytes_per_second\":$pace}" "$sandbox/_sandbox/mux/assets" | json "['url']")
  session=$(curl -sf -D - -o /dev/null -X POST -H "Authorization: Bearer $access" -H 'Content-Type: application/json' \
    -H "X-Upload-Content-Length: $bytes" -H 'X-Upload-Content-Type: video/mp4' -d '{"snippet":{"title":"curl"},"status":{"privacyStatus":"private"}}' \
    "$sandbox/youtube/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  start=$(date +%s.%N)
  curl -sf "$url" | curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $access" -H 'Content-Type: video/mp4' -H "Content-Length: $bytes" -T - "$session"
  end=$(date +%s.%N)
  python3 -c "s=$end-$start; print(f'curl  size_mib=$mib seconds={s:.2f} mib_per_s={$mib/s:.1f}')"
  # The Uploader's path, in its own process so the peak RSS belongs to this size alone.
  dotnet bench/Relay/bin/Release/net10.0/Orbyt.Bench.Relay.dll --sandbox "$sandbox" --size-mib "$mib" --mux-mib-per-s "${MUX_MIB_PER_S:-0}"
done
