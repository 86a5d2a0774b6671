#!/usr/bin/env bash
# Kamailio's own call rate with the scale-out recipe (docs/SCALING.md): conf/kamailio/kamailio.cfg
# on 127.0.0.3 relays sipp calls (INVITE, 100, 200, ACK, BYE, 200, all through Record-Route) to a
# sipp UAS standing in for one gateway. No Tandem and no RTP: only what Kamailio carries.
#
#   benchmarks/kamailio-relay.sh [RATE_PER_S] [CALLS]      (defaults 200 and 4000)
#
# Prints sipp's successful/failed calls, the elapsed time and Kamailio's CPU time (all its
# processes). Loopback only; everything it starts is stopped at the end. The keep-alive is off
# (the sipp UAS would take an out-of-call OPTIONS for a broken call): one OPTIONS per gateway per
# second is nothing beside the calls anyway.
set -euo pipefail
rate=${1:-200}
calls=${2:-4000}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'kill $uas_pid $kam_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"' EXIT
port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
kport=$(port); uport=$(port)
echo "1 sip:127.0.0.1:$uport" > "$dir/dispatcher.list"
sed -e "s|@LISTEN@|udp:127.0.0.3:$kport|" -e "s|@DISPATCHER_LIST@|$dir/dispatcher.list|" \
    -e 's|^debug=2|debug=1|' -e 's|"ds_ping_interval", 1|"ds_ping_interval", 0|' \
    "$root/conf/kamailio/kamailio.cfg" > "$dir/kamailio.cfg"
# the test's proxied call without its check of Tandem's SDP
sed -e '/<action>/,/<\/action>/d' -e '/<Reference/d' -e 's|<recv response="200" rrs="true">|<recv response="200" rrs="true"/>|' \
    -e '/^  <\/recv>$/d' "$root/gateway-core/src/test/resources/e2e/proxied-call.xml" > "$dir/uac.xml"
# a UAS standing in for one gateway: answers at once and, like Tandem, copies Record-Route into its 2xx
cat > "$dir/uas.xml" <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="gateway stand-in">
  <recv request="INVITE" crlf="true"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_Record-Route:]
      [last_From:]
      [last_To:];tag=[pid]gw[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:gw@[local_ip]:[local_port]>
      Content-Type: application/sdp
      Content-Length: [len]

v=0
o=gw 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio 9 RTP/AVP 8
a=rtpmap:8 PCMA/8000
    ]]>
  </send>
  <recv request="ACK" crlf="true"/>
  <recv request="BYE"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
</scenario>
XML
mkdir -p "$dir/run"
kamailio -f "$dir/kamailio.cfg" -DD -E -Y "$dir/run" -m 64 -M 8 > "$dir/kamailio.log" 2>&1 &
kam_pid=$!
sipp -sf "$dir/uas.xml" -i 127.0.0.1 -p "$uport" -nostdin > /dev/null 2>&1 &
uas_pid=$!
sleep 2
start=$(date +%s.%N)
sipp 127.0.0.3:"$kport" -sf "$dir/uac.xml" -s 1004 -key rtpport 9 -d 0 -r "$rate" -m "$calls" -l 2000 \
    -i 127.0.0.1 -nostdin -timeout 120s -trace_stat -stf "$dir/stat.csv" > /dev/null 2>&1 || true
end=$(date +%s.%N)
ticks=0
for p in "$kam_pid" $(pgrep -P "$kam_pid"); do
    t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
    ticks=$((ticks + t))
done
cpu=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN {print t / hz}')
cpu_main=0
awk -F';' -v t0="$start" -v t1="$end" -v cpu="$cpu" -v cm="$cpu_main" 'NR==1{for(i=1;i<=NF;i++) h[$i]=i} END{
    printf "successful %s, failed %s, %.1f s, Kamailio CPU %.1f s\n", $h["SuccessfulCall(C)"], $h["FailedCall(C)"], t1-t0, cpu+cm}' "$dir/stat.csv"
