# SPDX-License-Identifier: GPL-2.0
# A real scrape (issue 22): Debian's Prometheus on the host scrapes opticd in
# the VM over TLS with a client certificate and basic auth, in OpenMetrics,
# with contrib/prometheus's rules, alerts and fleet roll-ups, and
# remote-writes the roll-ups to a second Prometheus (the long-term store,
# evaluating fleet-global-rules.yml). Checked through Prometheus's HTTP API:
# every series of docs/metrics.md with its labels, `promtool check metrics`
# over the live exposition and the textfile, OpticModuleAlarm and
# OpticLaneFlapping firing on a temperature alarm and a LOS flap (simulator
# knobs) and inactive once cleared, every query of contrib/grafana/opticd.json
# returning data, a fleet roll-up in the store; and opticd's side: 401 with
# WWW-Authenticate and nothing else without credentials or with a wrong
# password, 403 without a client certificate or with one from another CA, a
# bad web config refused with its file:line and the old one kept.
#
# One file, two sides: tests/vm/run boots the VM with opticd's port (9732)
# and a control port (8080, busybox httpd: a CGI runs the shell command
# POSTed to it) forwarded to the host's loopback, and runs this file on the
# host too (OPTIC_VM_SIDE=host). Handshake: the guest loads the modules and
# serves the control port; the host pushes the certificates and web config
# it generated and creates /tmp/go; the guest starts opticd and creates
# /tmp/ready; the host scrapes, drives the knobs over the control port and
# finally writes its TAP lines to /tmp/host.results and creates
# /tmp/host.done; the guest replays them as its own TAP, stops opticd and
# ends. The copies of the rule files the host's Prometheus loads have every
# `for:` cut to 2s and the 5m group intervals of the fleet rules to 1s, so
# that alerts and roll-ups happen within the test; the expressions are the
# real ones. Host logs: build/vm/44-opticd-prometheus.host and .d/.
# vm: hostfwd 9732 8080
# vm: host
# timeout: 420

CONF=/tmp/opticd.conf
LOG=/tmp/opticd.log
WEB=/tmp/web

guest_helpers() { # the functions the control port's commands may call
	cat <<HELPERS
SIM_DEBUGFS=$SIM_DEBUGFS
PID=$1
HELPERS
	cat <<'HELPERS'
mon() { echo "$2" >"$SIM_DEBUGFS/$1/monitor"; }
# A bad web config, SIGHUP, and the refusal in the log.
bad_reload() {
	cp /tmp/web/web-config.yml /tmp/web/good.yml
	printf 'basic_auth_users:\n  prometheus: plaintext\n' >/tmp/web/web-config.yml
	kill -HUP "$PID"
	i=0
	while ! grep -q 'refused.*web-config.yml:2: basic_auth_users: prometheus: not a bcrypt hash' /tmp/opticd.log; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
	mv /tmp/web/good.yml /tmp/web/web-config.yml
}
HELPERS
}

guest_main() {
	local line
	if ! insmod "$OPTIC_DIR/e1000.ko" 2>/dev/null ||
		! wait_for 10 test -e /sys/class/net/eth0; then
		pass "# SKIP no NIC (tests/vm/run forwards ports outside --suite only)"
		return
	fi
	ip addr add 10.0.2.15/24 dev eth0
	ip link set eth0 up
	# Presence lines, as on a switch: the NACK bursts below are failed reads,
	# not an empty cage (without a line, a NACK of byte 0 is one).
	ok "load optic_sim with 3 ports and their lines" load_sim ports=3 gpios=1
	ok "load optic.ko" load_optic
	ok "port2 bound" wait_for 10 test -e "$OPTIC_CLASS/port2"
	for p in port0 port1 port2; do
		for m in temp vcc bias tx_power rx_power; do
			echo "noise $m all 0" >"$SIM_DEBUGFS/$p/monitor"
		done
	done
	# port0 lane 4 loses RX power (accelerated): a prediction for the
	# dashboard's "time to alarm" panel.
	echo 3600 >"$SIM_DEBUGFS/port0/mon_accel"
	echo "drift rx_power 3 -20000" >"$SIM_DEBUGFS/port0/monitor"
	cat >"$CONF" <<CONF
[daemon]
poll_interval = 200ms
metrics_listen = 0.0.0.0:9732
metrics_web_config = $WEB/web-config.yml
status_socket =
textfile = /tmp/opticd.prom
textfile_interval = 1s

[policy power]
action = act
budget_watts = 30

[policy prediction]
window = 30s
interval = 1s
min_points = 10
min_span = 3s

[policy flap]
window = 15s
max_events = 2
CONF
	mkdir -p /tmp/www/cgi-bin "$WEB"
	cat >/tmp/www/cgi-bin/run <<'CGI'
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
printf 'Content-Type: text/plain\r\n\r\n'
cmd=$(head -c "$CONTENT_LENGTH")
cd /tmp && . /tmp/helpers.sh && eval "$cmd" 2>&1
CGI
	chmod 0755 /tmp/www/cgi-bin/run
	guest_helpers "" >/tmp/helpers.sh
	ok "control port up" httpd -p 8080 -h /tmp/www
	diag "waiting for the host side (build/vm/44-opticd-prometheus.host)"
	ok "the host sent its certificates and web config" wait_for 90 test -e /tmp/go
	ok "--check-config takes the web config" opticd -c "$CONF" --check-config
	printf 'tls_server_config:\n  client_auth_type: Maybe\n  cert_file: server.pem\n' >/tmp/bad-web.yml
	sed "s|^metrics_web_config.*|metrics_web_config = /tmp/bad-web.yml|" "$CONF" >/tmp/bad.conf
	check_match "a bad web config: opticd.conf's line, then the web config's" \
		"^opticd: /tmp/bad.conf:4: metrics_web_config: /tmp/bad-web.yml:2: client_auth_type: 'Maybe'" \
		"$(opticd -c /tmp/bad.conf --check-config 2>&1)"
	opticd -c "$CONF" --log-target=console >"$LOG" 2>&1 &
	PID=$!
	guest_helpers "$PID" >/tmp/helpers.sh
	ok "opticd serves HTTPS with basic auth" wait_for 20 grep -q \
		'serving metrics on https://0.0.0.0:9732/metrics (basic auth)' "$LOG"
	touch /tmp/ready
	ok "the host side finished" wait_for 380 test -e /tmp/host.done
	while IFS= read -r line; do
		case $line in
		"ok "*) pass "${line#ok }" ;;
		"not ok "*) fail "${line#not ok }" ;;
		*) echo "$line" ;;
		esac
	done </tmp/host.results
	ok "opticd alive at the end" kill -0 "$PID"
	kill -TERM "$PID"
	wait "$PID"
	check_eq "clean exit" 0 $?
	grep -E 'refused|serving|flap|alarm|monitors' "$LOG" | sed 's/^/# log: /' | head -n 20
	killall httpd
	rmmod optic
	rmmod optic_sim
}

[ "${OPTIC_VM_SIDE:-guest}" = host ] || {
	guest_main
	return 0
}

# The host side (bash) -------------------------------------------------------

set -u
SIM_DEBUGFS=/sys/kernel/debug/optic_sim
top=$(cd "$(dirname "$0")/../../.." && pwd)
work=$top/build/vm/44-opticd-prometheus.d
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
CTL=http://127.0.0.1:$OPTIC_VM_FWD_8080/cgi-bin/run
OPTICD=https://127.0.0.1:$OPTIC_VM_FWD_9732/metrics
SITE=http://127.0.0.1:$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
STORE=http://127.0.0.1:$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PASS=opticd-test-$$
OM_ACCEPT='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; wait' EXIT

res() { echo "$*" >>results; echo "[${SECONDS}s] $*"; }
# check DESC CMD...: one TAP line; CMD's output as diagnostics on failure
check() {
	local d=$1
	shift
	if "$@" >out 2>&1; then
		res "ok $d"
	else
		res "not ok $d"
		sed 's/^/#   /' out | head -n 20 | tee -a results
	fi
}
# until_ok SECONDS CMD...: CMD until it succeeds, every 0.2 s
until_ok() {
	local n=$(($1 * 5))
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.2
	done
}
vm() { curl -sf --max-time 30 --data-binary "$*" "$CTL"; }
# vm_true CMD: CMD succeeds in the guest (the CGI's HTTP status does not say)
vm_true() { vm "$* && echo OPTIC-VM-TRUE" | grep -q OPTIC-VM-TRUE; }
vm_put() { # FILE GUEST_PATH
	vm "cat >$2 <<'EOF'
$(cat "$1")
EOF"
}
scrape() { curl -sf --max-time 10 --cacert ca.pem --cert client.pem --key client.key -u "prometheus:$PASS" "$@" "$OPTICD"; }
metric() { scrape | awk -v k="$1" '$1 == k { print $2; exit }'; }
metric_ge() { local v; v=$(metric "$1"); [ -n "$v" ] && [ "${v%.*}" -ge "$2" ]; }
# code ARGS...: the HTTP status of a scrape with those curl arguments
code() { curl -s --max-time 10 -o body -D headers -w '%{http_code}' --cacert ca.pem "$@" "$OPTICD"; }
query() { curl -sf --max-time 10 --data-urlencode "query=$2" "$1/api/v1/query"; }
# has_data URL QUERY: the query succeeds with a non-empty result
has_data() { query "$1" "$2" | jq -e '.status == "success" and (.data.result | length > 0)' >/dev/null; }
no_data() { query "$1" "$2" | jq -e '.status == "success" and (.data.result | length == 0)' >/dev/null; }
rule_state() { curl -sf "$SITE/api/v1/rules" | jq -r --arg n "$1" '.data.groups[].rules[] | select(.name == $n) | .state'; }
state_is() { [ "$(rule_state "$1")" = "$2" ]; }

# Certificates: a CA, opticd's (for 127.0.0.1), Prometheus's client one,
# and a client one from another CA; a bcrypt hash (libcrypt, through perl).
cert() { # NAME CA SUBJECT EXTENSIONS
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$1.key" -out "$1.csr" -subj "$3" 2>/dev/null &&
		printf '%s\n' "$4" >"$1.ext" &&
		openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" \
			-CAcreateserial -days 2 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
for ca in ca rogue; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout $ca.key -out $ca.pem -days 2 -subj "/CN=optic test $ca" 2>/dev/null
done
cert server ca /CN=opticd 'subjectAltName=IP:127.0.0.1
extendedKeyUsage=serverAuth'
cert client ca /CN=prometheus 'extendedKeyUsage=clientAuth'
cert intruder rogue /CN=intruder 'extendedKeyUsage=clientAuth'
salt=$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 22)
hash=$(perl -e 'print crypt($ARGV[0], "\$2b\$05\$$ARGV[1]")' "$PASS" "$salt")
[ ${#hash} = 60 ] || { res "not ok bcrypt hash of the password: $hash"; exit 1; }
cat >web-config.yml <<YAML
# opticd's web config (exporter-toolkit's shape); names relative to it
tls_server_config:
  cert_file: server.pem
  key_file: server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.pem
basic_auth_users:
  prometheus: $hash
YAML

# The rule files as Prometheus loads them, with short for: and intervals.
for f in rules alerts fleet-rules fleet-global-rules; do
	sed -E 's/^( *)for: .*/\1for: 2s/; s/^( *)interval: 5m$/\1interval: 1s/' \
		"$top/contrib/prometheus/$f.yml" >$f.yml
done
keep=$(sed -n 's/^ *regex: "\(.*:optic_.*\)"$/\1/p' "$top/contrib/prometheus/fleet-prometheus.yml")
printf '%s\n' "$PASS" >password
cat >site.yml <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
  external_labels: {site: vm, replica: a}
rule_files: [rules.yml, alerts.yml, fleet-rules.yml]
scrape_configs:
  - job_name: opticd
    scheme: https
    tls_config: {ca_file: ca.pem, cert_file: client.pem, key_file: client.key}
    basic_auth: {username: prometheus, password_file: password}
    static_configs:
      - targets: ["127.0.0.1:$OPTIC_VM_FWD_9732"]
        labels: {rack: r1}
remote_write:
  - url: $STORE/api/v1/write
    write_relabel_configs:
      - source_labels: [__name__]
        regex: "$keep"
        action: keep
    queue_config: {batch_send_deadline: 1s}
YAML
cat >store.yml <<YAML
global: {evaluation_interval: 1s}
rule_files: [fleet-global-rules.yml]
YAML
check "promtool: the generated configs are valid" promtool check config site.yml store.yml

echo "# host: waiting for the guest's control port"
until_ok 120 vm true || { res "not ok the guest's control port answers"; exit 1; }
for f in web-config.yml server.pem server.key ca.pem; do
	vm_put $f "$WEB/$f" || res "not ok push $f"
done
vm touch /tmp/go
check "opticd up in the guest" until_ok 60 vm_true test -e /tmp/ready

# opticd's endpoint: TLS, client certificates, basic auth, formats.
check "scraped over TLS with a client certificate and basic auth" until_ok 20 metric_ge optic_up 1
c=$(code --cert client.pem --key client.key)
check "no credentials: 401" [ "$c" = 401 ]
check "401 asks for basic auth" grep -qi '^WWW-Authenticate: Basic realm="opticd"' headers
check "401 has nothing else" [ ! -s body ]
check "a wrong password: 401" [ "$(code --cert client.pem --key client.key -u prometheus:wrong)" = 401 ]
check "an unknown user: 401" [ "$(code --cert client.pem --key client.key -u nobody:"$PASS")" = 401 ]
check "no client certificate: 403" [ "$(code -u prometheus:"$PASS")" = 403 ]
check "a client certificate from another CA: 403" \
	[ "$(code --cert intruder.pem --key intruder.key -u prometheus:"$PASS")" = 403 ]
check "403 has nothing else" [ ! -s body ]
check "plain HTTP is not served" sh -c "! curl -sf --max-time 5 http://127.0.0.1:$OPTIC_VM_FWD_9732/metrics"
scrape -D headers >classic.prom
check "classic text format by default" grep -qi '^Content-Type: text/plain; version=0.0.4' headers
check "promtool check metrics: the live exposition" promtool check metrics <classic.prom
until_ok 10 vm_true test -s /tmp/opticd.prom
vm cat /tmp/opticd.prom >textfile.prom
check "promtool check metrics: the textfile" sh -c "[ -s textfile.prom ] && promtool check metrics <textfile.prom"
scrape -D headers -H "Accept: $OM_ACCEPT" >om.txt
check "OpenMetrics when Prometheus asks for it" \
	grep -qi '^Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8' headers
check "OpenMetrics: # EOF last" [ "$(tail -n 1 om.txt)" = "# EOF" ]
check "OpenMetrics: units" grep -qx '# UNIT optic_module_temperature_celsius celsius' om.txt
check "OpenMetrics: counter families and _created" \
	grep -q '^# TYPE optic_events counter$' om.txt
check "OpenMetrics: _created samples" grep -Eq '^optic_events_created\{type="inserted"\} [0-9]+$' om.txt

# Prometheus: the site (scrapes, rules, alerts, roll-ups) and the store.
prometheus --config.file=store.yml --storage.tsdb.path=store-data \
	--web.listen-address="${STORE#http://}" --web.enable-remote-write-receiver \
	--log.level=warn >store.log 2>&1 &
pids="$pids $!"
prometheus --config.file=site.yml --storage.tsdb.path=site-data \
	--web.listen-address="${SITE#http://}" --log.level=warn >site.log 2>&1 &
pids="$pids $!"
check "both Prometheus servers ready" until_ok 30 sh -c "curl -sf $SITE/-/ready && curl -sf $STORE/-/ready"
check "Prometheus scrapes opticd (up 1, OpenMetrics over TLS)" \
	until_ok 30 has_data "$SITE" 'up{job="opticd"} == 1 and on () optic_up == 1'

# Failures: a temperature alarm on port0, LOS flaps on port1 lane 1,
# failed reads on port2.
vm mon port0 "'set temp all 80000'"
for i in 1 2; do
	vm mon port1 "'offset rx_power 0 -100000000000'"
	until_ok 20 metric_ge 'optic_lane_flags_total{port="port1",lane="1",flag="rx_los"}' $i
	vm mon port1 "'offset rx_power 0 0'"
	n=$(metric optic_poll_duration_seconds_count)
	until_ok 20 metric_ge optic_poll_duration_seconds_count $((n + 3))
done
# A NACK burst fails the one read that meets it (the driver retries a NACK
# once), and that read may be the driver's own poll, not opticd's: bursts
# go on until opticd has counted a failure, with what it saw if it never
# does.
failed_reads_counted() {
	local i
	for i in $(seq 20); do
		vm "echo 3 >$SIM_DEBUGFS/port2/fault_nack_next" >/dev/null ||
			echo "burst $i: the control port did not answer"
		sleep 1
		metric_ge 'optic_poll_errors_total{port="port2"}' 1 && return 0
	done
	scrape | grep -E '^optic_(poll_errors_total|module_present|module_state)\{port="port2"'
	vm "grep port2 /tmp/opticd.log | tail -n 5; cat $SIM_DEBUGFS/port2/fault_nack_next"
	return 1
}
check "opticd counts the failed reads" failed_reads_counted
# The LOS flags came with IntL: each FLAG event's delay, from the driver's time.
check "the flag events' delay is measured" metric_ge optic_flag_event_delay_seconds_count 2
check "OpticModuleAlarm fires" until_ok 40 state_is OpticModuleAlarm firing
check "OpticLaneFlapping fires" until_ok 40 state_is OpticLaneFlapping firing
curl -sf "$SITE/api/v1/alerts" >alerts.json
check "OpticModuleAlarm: port0 temperature, with vendor, pn, sn" jq -e '[.data.alerts[]
	| select(.labels.alertname == "OpticModuleAlarm" and .state == "firing")
	| select(.labels.port == "port0" and .labels.monitor == "temperature_celsius"
		and .labels.vendor != null and .labels.pn != null and .labels.sn != null)] | length == 1' alerts.json
check "OpticLaneFlapping: port1 lane 1 rx_los, with vendor, pn, sn" jq -e '[.data.alerts[]
	| select(.labels.alertname == "OpticLaneFlapping" and .state == "firing")
	| select(.labels.port == "port1" and .labels.lane == "1" and .labels.flag == "rx_los"
		and .labels.sn != null)] | length == 1' alerts.json
check "a prediction under 30 days for port0 lane 4" until_ok 60 has_data "$SITE" \
	'optic_lane_seconds_to_alarm{port="port0",lane="4",monitor="rx_power_watts"} < 2592000'

# Every series of docs/metrics.md, with its documented labels ("[lane]" is
# optional, parentheses are comments).
grep -E '^\| `optic_[a-z_]+` \|' "$top/docs/metrics.md" | while IFS='|' read -r _ name type labels _; do
	name=$(echo "$name" | tr -d '` ')
	type=$(echo "$type" | tr -d ' ')
	want=$(echo "$labels" | sed -E 's/\([^)]*\)//g; s/\[`[a-z_]+`\]//g' |
		grep -o '`[a-z_]*`' | tr -d '`' | jq -R . | jq -sc .)
	series=$name
	[ "$type" = histogram ] && series=${name}_bucket
	check "series $name with labels $want" sh -c "curl -sf -G --data-urlencode 'match[]=$series' $SITE/api/v1/series |
		jq -e --argjson want '$want' '.data | length > 0 and any(. as \$s | \$want | all(. as \$l | \$s | has(\$l)))'"
done

# Every query of the per-switch dashboard, its variables at "All".
jq -r '.. | objects | select(has("expr")) | .expr' "$top/contrib/grafana/opticd.json" >panels
jq -r '.templating.list[] | select(.type == "query") | .query' "$top/contrib/grafana/opticd.json" |
	sed -E 's/^label_values\((.*), *[a-z_]+\)$/\1/' >>panels
while IFS= read -r expr; do
	expr=${expr//\$instance/.*}
	expr=${expr//\$port/.*}
	check "dashboard query returns data: $expr" until_ok 10 has_data "$SITE" "$expr"
done <panels

# The fleet path: roll-ups recorded at the site, remote-written to the
# store, the store's own rules over them.
check "store: vendor_pn:optic_modules:count (fleet-rules.yml at the site)" \
	until_ok 30 has_data "$STORE" 'vendor_pn:optic_modules:count{site="vm"} == 3'
check "store: rack:optic_modules_present:sum for rack r1" \
	until_ok 30 has_data "$STORE" 'rack:optic_modules_present:sum{rack="r1"} == 3'
check "store: fleet-global-rules.yml over them (site total)" \
	until_ok 30 has_data "$STORE" 'site:optic_modules_present:sum{site="vm"} == 3'
check "store: alarms per module of the PN" \
	until_ok 30 has_data "$STORE" 'vendor_pn:optic_monitor_alarms:ratio > 0'
check "store: only the roll-ups arrive (no per-lane series)" \
	no_data "$STORE" optic_lane_rx_power_watts

# A bad web config on reload is refused and the running one stays.
check "reload with a bad web config refused (file:line in the log)" vm_true bad_reload
check "still served with the old web config" until_ok 10 metric_ge 'optic_config_reloads_total{result="failure"}' 1
check "Prometheus still scrapes" until_ok 10 has_data "$SITE" 'up{job="opticd"} == 1'

# Cleared: both alerts go back to inactive.
vm mon port0 "'set temp all 40000'"
check "OpticModuleAlarm inactive once the temperature is back" until_ok 40 state_is OpticModuleAlarm inactive
check "OpticLaneFlapping inactive once the flaps leave the window" until_ok 60 state_is OpticLaneFlapping inactive

# For whoever reads a failure: opticd's log and last exposition.
vm cat /tmp/opticd.log >opticd.log
scrape >last.prom
vm_put results /tmp/host.results
vm touch /tmp/host.done
