# SPDX-License-Identifier: GPL-2.0
# optic_sim application and data-path control (CMIS 5.2 6.2.4, 6.3.3), raw
# registers through portN/xfer: staged control set 0 (10h:145-152) applied
# by ApplyDPInit (10h:143) / ApplyImmediate (10h:144), ConfigInProgress then
# the ConfigStatus of Table 8-83 (11h:202-205), the active set (11h:206-213),
# DPInitPending (11h:235), data paths moving as one (11h:128-131).
# osfp-800g-2xdr4: DPInit 3 s, DPDeinit 40 ms, TxTurnOn 8 ms, TxTurnOff 4 ms,
# ConfigInProgress 20 ms. Transients are checked with the clock held.
# timeout: 200

P=$SIM_DEBUGFS/port0

xfer() { echo "$2" >"$SIM_DEBUGFS/port$1/xfer" && cat "$SIM_DEBUGFS/port$1/xfer"; }
x() { xfer 0 "$1"; }
page() { x "50 7f w $1" >/dev/null; }
p10() { page 10; x "50 $1 w $2"; }
# page 11h bytes: 4 DP state bytes, 4 ConfigStatus bytes, 8 active set bytes
rd11() { page 11; x "50 $1 r $2" | sed 's/^ok //'; }
dps() { rd11 80 4; }
cfgst() { rd11 ca 4; }
active() { rd11 ce 8; }
pending() { rd11 eb 1; }
clock() { echo "$1" >"$P/clock"; }
advance() { clock "advance $1"; }
stage() { p10 91 "$1" >/dev/null; }	# 8 DPConfigLane bytes, lanes 1-8
apply() { p10 8f "$1" >/dev/null; }	# ApplyDPInit
applynow() { p10 90 "$1" >/dev/null; }	# ApplyImmediate
deinit() { p10 80 "$1" >/dev/null; }
dps_are() { [ "$(dps)" = "$1" ]; }

ok "optic_sim loads" load_sim ports=2 attach=0 profile=osfp-800g-2xdr4

check_eq "app 2: 400GAUI-4-S / 400GBASE-DR4, 4 lanes, on lanes 1 and 5" \
	"ok 4f 1c 44 11" "$(x '50 5a r 4')"
check_eq "SteppedConfigOnly clear (byte 2 bit 6): ApplyImmediate allowed" \
	0 $(($(printf '%d' "0x$(x '50 02 r 1' | sed 's/^ok //')") & 0x40))
check_eq "default: application 1 on 8 lanes, one data path (DPID 0)" \
	"10 10 10 10 10 10 10 10" "$(active)"
check_eq "default staged set is the active one" \
	"ok 10 10 10 10 10 10 10 10" "$(page 10; x '50 91 r 8')"
check_eq "default ConfigStatus: ConfigSuccess" "11 11 11 11" "$(cfgst)"
check_eq "data path activated" "44 44 44 44" "$(dps)"

clock hold
stage "20 20 20 20 28 28 28 28"
apply ff
check_eq "ApplyDPInit self-clears" "ok 00" "$(page 10; x '50 8f r 1')"
check_eq "ConfigInProgress right after the trigger" "cc cc cc cc" "$(cfgst)"
advance 18
check_eq "still ConfigInProgress 2 ms before it ends" "cc cc cc cc" "$(cfgst)"
advance 4
check_eq "ApplyDPInit on an activated data path: LanesInUse" \
	"66 66 66 66" "$(cfgst)"
check_eq "active set unchanged" "10 10 10 10 10 10 10 10" "$(active)"

deinit 04
check_eq "DPDeinit of lane 3 turns all 8 lanes off (DPTxTurnOff)" \
	"66 66 66 66" "$(dps)"
advance 3
check_eq "DPTxTurnOff lasts its 4 ms" "66 66 66 66" "$(dps)"
advance 2
check_eq "then the whole data path is in DPDeinit" "33 33 33 33" "$(dps)"
advance 38
check_eq "DPDeinit lasts its 40 ms" "33 33 33 33" "$(dps)"
advance 4
check_eq "data path deactivated" "11 11 11 11" "$(dps)"
check_eq "Tx output status off (11h:133)" "00" "$(rd11 85 1)"
check_eq "Tx power 0 on a deactivated lane (11h:154)" "00 00" "$(rd11 9a 2)"

deinit ff
apply ff
advance 21
check_eq "2 x 400G breakout: ConfigSuccess" "11 11 11 11" "$(cfgst)"
check_eq "active set: app 2, DPID 0 on lanes 1-4, DPID 4 on 5-8" \
	"20 20 20 20 28 28 28 28" "$(active)"
check_eq "DPInitPending on all 8 lanes (11h:235)" ff "$(pending)"
check_eq "data paths stay deactivated while DPDeinit is set" \
	"11 11 11 11" "$(dps)"

deinit f0
check_eq "data path 0 (lanes 1-4) enters DPInit, lanes 5-8 stay" \
	"22 22 11 11" "$(dps)"
check_eq "DPInitPending ends in DPInit" f0 "$(pending)"
advance 2990
check_eq "DPInit lasts its 3 s" "22 22 11 11" "$(dps)"
advance 15
check_eq "then DPTxTurnOn" "55 55 11 11" "$(dps)"
advance 5
check_eq "data path 0 activated" "44 44 11 11" "$(dps)"
deinit 00
advance 3020
check_eq "data path 4 (lanes 5-8) activated 3 s later" "44 44 44 44" "$(dps)"
check_eq "Tx output status on all lanes" "ff" "$(rd11 85 1)"

deinit 20
check_eq "DPDeinit of lane 6 takes lanes 5-8 down, not 1-4" \
	"44 44 66 66" "$(dps)"
advance 50
check_eq "data path 4 deactivated" "44 44 11 11" "$(dps)"
check_eq "Tx output status: lanes 1-4 only" "0f" "$(rd11 85 1)"
deinit f0

# Rejections on lanes 5-8 (deactivated); lanes 1-4 keep running.
reject() { # DESC STAGED MASK EXPECTED-CONFIGSTATUS
	stage "20 20 20 20 $2"
	apply "$3"
	advance 21
	check_eq "$1" "$4" "$(cfgst)"
}
reject "AppSel 5 not advertised: RejectedInvalidAppSel" \
	"58 58 58 58" f0 "11 11 33 33"
reject "AppSel 15: RejectedInvalidAppSel" "f8 f8 f8 f8" f0 "11 11 33 33"
reject "3 lanes of a 4-lane app: InvalidDataPath, the other lane Rejected" \
	"28 28 28 00" f0 "11 11 44 24"
reject "app 3 (2 lanes) starting on lane 6, outside its assignment 55h" \
	"00 3a 3a 00" f0 "11 11 42 24"
reject "lanes of one DataPathID with two AppSels: InvalidDataPath" \
	"28 28 38 38" f0 "11 11 44 44"
reject "ExplicitControl without staged SI controls: InvalidSI" \
	"29 29 29 29" f0 "11 11 55 55"
reject "ApplyDPInit on lanes 5-6 of a 4-lane data path: PartialDataPath" \
	"28 28 28 28" 30 "11 11 77 55"
check_eq "nothing applied" "20 20 20 20 28 28 28 28" "$(active)"
check_eq "lanes 1-4 still activated" "44 44 11 11" "$(dps)"

deinit ff
advance 50
stage "40 42 44 46 28 28 28 28"
apply 03
advance 21
check_eq "leaving half of an active data path: PartialDataPath (lanes 1-2)" \
	"77 11 77 55" "$(cfgst)"

# Decommission: AppSel 0 everywhere, no data path left.
stage "00 00 00 00 00 00 00 00"
apply ff
advance 21
check_eq "AppSel 0 on every lane: ConfigSuccess" "11 11 11 11" "$(cfgst)"
deinit 00
advance 3100
check_eq "lanes in no data path stay DPDeactivated" "11 11 11 11" "$(dps)"
check_eq "and transmit nothing (11h:154-169)" \
	"00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00" "$(rd11 9a 16)"

# Back to one 800G data path, then 4 x 100G by ApplyImmediate on lanes 1-4.
stage "10 10 10 10 10 10 10 10"
apply ff
advance 21
check_eq "800G again" "11 11 11 11" "$(cfgst)"
advance 3020
check_eq "one data path activated" "44 44 44 44" "$(dps)"
stage "40 42 44 46 10 10 10 10"
applynow 0f
advance 21
check_eq "ApplyImmediate of half the 800G data path: PartialDataPath" \
	"77 77 11 11" "$(cfgst)"
stage "40 42 44 46 48 4a 4c 4e"
applynow ff
check_eq "ApplyImmediate: ConfigInProgress" "cc cc cc cc" "$(cfgst)"
advance 21
check_eq "ApplyImmediate on an activated data path: ConfigSuccess" \
	"11 11 11 11" "$(cfgst)"
check_eq "active set: 8 x 100G, DPIDs 0-7" "40 42 44 46 48 4a 4c 4e" \
	"$(active)"
check_eq "no DPInitPending after ApplyImmediate" 00 "$(pending)"
check_eq "the module re-initialises the lanes itself: DPTxTurnOff" \
	"66 66 66 66" "$(dps)"
advance 5
check_eq "DPDeinit" "33 33 33 33" "$(dps)"
advance 41
check_eq "DPInit, DPDeinit being clear" "22 22 22 22" "$(dps)"
advance 3020
check_eq "8 data paths activated" "44 44 44 44" "$(dps)"
deinit 10
advance 50
check_eq "DPDeinit of lane 5 takes only lane 5 down now" \
	"44 44 41 44" "$(dps)"
deinit 00
clock run

# SteppedConfigOnly (qsfpdd-400g-fr4): ApplyImmediate is refused.
echo 0 >"$SIM_DEBUGFS/port1/time_scale"
echo qsfpdd-400g-fr4 >"$SIM_DEBUGFS/port1/profile"
check_eq "fr4: SteppedConfigOnly (byte 2 bit 6)" "ok 40" "$(xfer 1 '50 02 r 1')"
xfer 1 '50 7f w 10' >/dev/null
xfer 1 '50 90 w ff' >/dev/null
xfer 1 '50 7f w 11' >/dev/null
check_eq "fr4: ApplyImmediate: ConfigRejected" "ok 22 22 22 22" \
	"$(xfer 1 '50 ca r 4')"
check_eq "fr4: data path untouched" "ok 44 44 44 44" "$(xfer 1 '50 80 r 4')"

# Every CMIS profile's default configuration passes its own validation.
for prof in qsfpdd-400g-dr4 osfp-800g-2xdr4 qsfpdd-400g-fr4 qsfp112-400g \
	osfpxd-1600g-2xdr8; do
	echo "$prof" >"$SIM_DEBUGFS/port1/profile"
	for bank in 0 1; do
		[ $bank = 0 ] || [ $prof = osfpxd-1600g-2xdr8 ] || continue
		xfer 1 "50 7e w $bank" >/dev/null
		xfer 1 '50 7f w 10' >/dev/null
		xfer 1 '50 80 w ff' >/dev/null
		xfer 1 '50 8f w ff' >/dev/null
		xfer 1 '50 80 w 00' >/dev/null
		xfer 1 '50 7f w 11' >/dev/null
		st=$(xfer 1 '50 ca r 4')
		[ $prof = qsfp112-400g ] && st=${st% 00 00}
		check_match "$prof bank $bank: default set reapplied: ConfigSuccess" \
			'^ok 11 11( 11 11)?$' "$st"
		check_match "$prof bank $bank: activated again" \
			'^ok 44 44( 44 44)?' "$(xfer 1 '50 80 r 4')"
	done
	xfer 1 '50 7e w 00' >/dev/null
done

ok "rmmod optic_sim" rmmod optic_sim
