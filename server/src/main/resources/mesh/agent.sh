#!/bin/sh
# Cluster Platform Provisioner: mesh node agent for minimal hosts (POSIX sh, curl, wg, ip; wireguard-go
# where the kernel has no WireGuard). From a postbootscript:
#   curl -s {{server}}/mesh/agent.sh | sh -s -- --token cpm_... [--endpoint IP[:PORT]] [--interface wgmesh0]
# Joins once (the state directory keeps the key and the node token; later runs resume), brings the
# interface up, then long-polls the peer map and applies it with wg syncconf, which keeps the sessions
# of unchanged peers. While the server is unreachable the tunnels stay as they are. SIGTERM takes the
# interface down. Exits 3 when the node was removed.
set -u
server='@SERVER@' token='' ifname=wgmesh0 dir=/var/lib/provisioner/mesh endpoint='' port=''
name=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)
while [ $# -gt 0 ]; do
  case $1 in
    --server) server=$2 ;; --token) token=$2 ;; --interface) ifname=$2 ;; --state-dir) dir=$2 ;;
    --endpoint) endpoint=$2 ;; --listen-port) port=$2 ;; --hostname) name=$2 ;;
    *) echo "unknown option $1 (--server --token --interface --state-dir --endpoint --listen-port --hostname)" >&2; exit 2 ;;
  esac
  shift 2
done
say() { echo "mesh agent: $*" >&2; }
for tool in curl wg ip; do
  command -v $tool >/dev/null 2>&1 || { say "$tool is missing: install curl, wireguard-tools and iproute2"; exit 1; }
done
ip -V 2>&1 | grep -q iproute2 ||
  { say "$(command -v ip) is not iproute2's ip (busybox's applet cannot create WireGuard interfaces): install iproute2"; exit 1; }
umask 077
mkdir -p "$dir" && chmod 700 "$dir" || exit 1
[ -s "$dir/private.key" ] || wg genkey >"$dir/private.key" || exit 1
if [ ! -s "$dir/node.env" ]; then
  [ -n "$token" ] || { say "--token is required for the first join"; exit 2; }
  case $endpoint in '' | *:*) ;; *) endpoint=$endpoint:${port:-51820} ;; esac
  body="{\"token\":\"$token\",\"publicKey\":\"$(wg pubkey <"$dir/private.key")\",\"hostname\":\"$name\""
  [ -z "$endpoint" ] || body="$body,\"endpoint\":\"$endpoint\""
  curl -sS --fail-with-body -H 'Accept: text/plain' -H 'Content-Type: application/json' -d "$body}" \
    "$server/api/mesh/join" >"$dir/node.env.tmp" || { say "the join failed: $(cat "$dir/node.env.tmp")"; exit 1; }
  mv "$dir/node.env.tmp" "$dir/node.env"
fi
while IFS='=' read -r key value; do
  case $key in
    nodeId) nodeId=$value ;; networkId) networkId=$value ;; address) address=$value ;; ipv4) ipv4=$value ;;
    nodeSubnet) nodeSubnet=$value ;; ipv4Range) ipv4Range=$value ;; nodeToken) nodeToken=$value ;;
    listenPort) listenPort=$value ;;
  esac
done <"$dir/node.env"
[ -z "$port" ] || listenPort=$port
say "node $nodeId of $networkId, address $address, interface $ifname"
say "behind NAT this agent uses the network's relay; it does not try direct paths (the Java agent, provisioner mesh join, does)"

wgpid='' reporter='' poller=''
down() {
  [ -z "$reporter" ] || kill "$reporter" 2>/dev/null
  [ -z "$poller" ] || kill "$poller" 2>/dev/null
  ip link del dev "$ifname" 2>/dev/null
  [ -z "$wgpid" ] || kill "$wgpid" 2>/dev/null
}
trap 'down; exit 0' TERM INT
ip link del dev "$ifname" 2>/dev/null
if ! ip link add dev "$ifname" type wireguard 2>/dev/null; then
  command -v wireguard-go >/dev/null 2>&1 || { say "the kernel has no WireGuard: install wireguard-go"; exit 1; }
  wireguard-go -f "$ifname" >>"$dir/wireguard-go.log" 2>&1 &
  wgpid=$!
  tries=0
  until wg show "$ifname" >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ $tries -lt 100 ] || { say "wireguard-go did not create $ifname: see $dir/wireguard-go.log"; down; exit 1; }
    sleep 0.1
  done
fi
wg set "$ifname" private-key "$dir/private.key" listen-port "$listenPort" &&
  ip address add "$address/${nodeSubnet#*/}" dev "$ifname" nodad &&
  { [ -z "${ipv4:-}" ] || ip address add "$ipv4/${ipv4Range#*/}" dev "$ifname"; } &&
  ip link set dev "$ifname" up || { down; exit 1; }

# Status reports: the latest handshakes and endpoints at once, then every 5 s, as wg show dump gives
# them (no directPaths: this agent never tries them, so it gets no candidates). The first
# one the server accepts leaves "reported" in the state directory (the localnode join waits for it).
report() {
  peers=$(wg show "$ifname" dump | awk 'NR > 1 { printf "%s{\"publicKey\":\"%s\",\"lastHandshake\":%s,\"rxBytes\":%s,\"txBytes\":%s%s}", (n++ ? "," : ""), $1, $5, $6, $7, ($3 == "(none)" ? "" : ",\"endpoint\":\"" $3 "\"") }')
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $nodeToken" \
    -H 'Content-Type: application/json' -d "{${endpoint:+\"endpoint\":\"$endpoint\",}\"peers\":[$peers]}" \
    "$server/api/mesh/nodes/$nodeId/status")
  case $code in 2??) [ -s "$dir/reported" ] || date >"$dir/reported" ;; esac
}
rm -f "$dir/reported"
(
  report
  while sleep 5; do report; done
) &
reporter=$!

# "key endpoint relayed(0/1)" per [Peer] section of a peer map.
peerlines() {
  awk '/^\[Peer\]/ { if (k != "") print k, e, r; k = ""; e = "-"; r = 0 }
       /^# relayed/ { r = 1 } /^PublicKey = / { k = $3 } /^Endpoint = / { e = $3 }
       END { if (k != "") print k, e, r }' "$1"
}

rm -f "$dir/applied.txt"
since='' backoff=1
while :; do
  curl -s -o "$dir/peers.txt" -w '%{http_code}' --max-time 60 -H 'Accept: text/plain' \
    -H "Authorization: Bearer $nodeToken" \
    "$server/api/mesh/nodes/$nodeId/peers${since:+?since=$since&wait=25s}" >"$dir/code" &
  poller=$!
  wait $poller
  poller=''
  code=$(cat "$dir/code")
  case $code in
    200)
      { printf '[Interface]\nPrivateKey = %s\nListenPort = %s\n' "$(cat "$dir/private.key")" "$listenPort"
        cat "$dir/peers.txt"; } >"$dir/wg.conf"
      # A relayed peer at another relay's port (the first relay went down): set it anew, so that a
      # handshake goes through the new relay at once (a relay learns where a node is from handshakes).
      if [ -s "$dir/applied.txt" ]; then
        peerlines "$dir/applied.txt" >"$dir/applied.lines"
        peerlines "$dir/peers.txt" |
          awk 'NR == FNR { if ($3 == 1) old[$1] = $2; next } ($1 in old) && old[$1] != $2 { print $1 }' \
            "$dir/applied.lines" - |
          while read -r key; do wg set "$ifname" peer "$key" remove; done
      fi
      if wg syncconf "$ifname" "$dir/wg.conf"; then
        cp "$dir/peers.txt" "$dir/applied.txt"
        since=$(sed -n 's/^# version //p' "$dir/peers.txt")
        say "peer map version $since applied: $(grep -c '^\[Peer\]' "$dir/peers.txt") peers"
      fi
      backoff=1 ;;
    204) backoff=1 ;;
    401)
      say "node $nodeId was removed from $networkId: taking $ifname down; join again with a new token"
      rm -f "$dir/node.env"
      down
      exit 3 ;;
    *)
      say "the server is unreachable or refused (HTTP $code); the tunnels stay as they are, retrying in $backoff s"
      sleep $backoff
      [ $backoff -ge 16 ] || backoff=$((backoff * 2)) ;;
  esac
done
