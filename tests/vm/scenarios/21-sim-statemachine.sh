# SPDX-License-Identifier: GPL-2.0
# optic_sim CMIS behaviour: module state machine (LowPwr via byte 26, PwrUp,
# PwrDn timing scaled by time_scale), latched flags and IntL, the data
# path state machine driven by page 10h, Tx disable, ApplyDPInit, software
# reset. Durations of qsfpdd-400g-dr4: PwrUp 1 s, PwrDn 50 ms, DPInit 2 s,
# DPDeinit 30 ms, TxTurnOn/Off 4 ms.
# timeout: 200

D=$SIM_DEBUGFS/port0

xfer() { echo "$1" >"$D/xfer" && cat "$D/xfer"; }
byte() { printf '%d' "0x$(xfer "50 $1 r 1" | sed 's/^ok //')"; }
mstate() { echo $((($(byte 03) >> 1) & 7)); }
page() { xfer "50 7f w $1" >/dev/null; }
dpstates() { page 11; xfer '50 80 r 4' | sed 's/^ok //'; }
# A transient state is looked at with the module's clock held (docs/sim.md
# "clock") and moved on by hand: both sides of each duration are checked
# however slow or fast the guest runs these commands.
mstate_is() { [ "$(mstate)" = "$1" ]; }
clock() { echo "$1" >"$D/clock"; }
dpstates_are() { [ "$(dpstates)" = "$1" ]; }

ok "optic_sim loads" load_sim ports=1 attach=0
check_eq "starts Ready" 3 "$(mstate)"
check_eq "no latched module flag at start" 0 "$(byte 08)"
check_eq "data paths start Activated" "44 44 44 44" "$(dpstates)"
page 00

# 40x slower: PwrDn lasts 2 s
echo 4000 >"$D/time_scale"
clock hold
ok "LowPwrRequestSW (byte 26 bit 4)" xfer '50 1a w 10'
check_eq "module enters PwrDn" 4 "$(mstate)"
clock "advance 1900"
check_eq "still PwrDn 100 ms before the PwrDn duration ends" 4 "$(mstate)"
clock "advance 200"
check_eq "then LowPwr after the PwrDn duration" 1 "$(mstate)"
clock run
check_eq "L-ModuleStateChanged latched (byte 8 bit 0)" 1 $(($(byte 08) & 1))
check_eq "latched flag cleared by the read" 0 "$(byte 08)"
check_eq "data paths deactivated in LowPwr" "11 11 11 11" "$(dpstates)"
check_eq "DPStateChanged flags latched on 11h:134" "ok ff" "$(xfer '50 86 r 1')"
check_eq "11h:134 cleared on read" "ok 00" "$(xfer '50 86 r 1')"
check_eq "IntL deasserted once flags are read" 1 $(($(byte 03) & 1))
check_eq "Tx power 0 in LowPwr (11h:154)" "ok 00 00" "$(xfer '50 9a r 2')"
page 00

# 4x slower: PwrUp 4 s, DPInit 8 s
echo 400 >"$D/time_scale"
clock hold
ok "clear LowPwrRequestSW" xfer '50 1a w 00'
check_eq "module enters PwrUp" 2 "$(mstate)"
check_eq "IntL asserted by the state change (byte 3 bit 0 = 0)" 0 \
	$(($(byte 03) & 1))
clock "advance 3900"
check_eq "still PwrUp 100 ms before the PwrUp duration ends" 2 "$(mstate)"
clock "advance 200"
check_eq "Ready after the PwrUp duration" 3 "$(mstate)"
check_eq "lanes in DPInit" "22 22 22 22" "$(dpstates)"
clock "advance 7800"
check_eq "lanes still in DPInit 100 ms before DPInit ends" "22 22 22 22" \
	"$(dpstates)"
clock "advance 200"
check_eq "lanes DPActivated after DPInit" "44 44 44 44" "$(dpstates)"
clock run
check_eq "Tx output status all on (11h:133)" "ok ff" "$(xfer '50 85 r 1')"

page 10
ok "Tx disable lane 5 (10h:130)" xfer '50 82 w 10'
sleep 0.2
page 11
check_eq "lane 5 Tx power reads 0 (11h:162)" "ok 00 00" "$(xfer '50 a2 r 2')"
check_eq "lane 5 Tx bias reads 0 (11h:178)" "ok 00 00" "$(xfer '50 b2 r 2')"
check_match "lane 6 Tx power is live" '^ok [0-9a-f]{2} [0-9a-f]{2}$' \
	"$(xfer '50 a4 r 2' | grep -v '^ok 00 00$')"
check_eq "Tx output status all lanes but 5 (11h:133)" "ok ef" \
	"$(xfer '50 85 r 1')"

# qsfpdd-400g-dr4 runs one 8-lane data path (400GAUI-8): DPDeactivate of
# any of its lanes deactivates all 8 (CMIS 5.2 6.3.3, DPDeinitS).
page 10
ok "DPDeactivate lanes 1-4 (10h:128)" xfer '50 80 w 0f'
ok "the whole 8-lane data path deactivated" wait_for 10 dpstates_are \
	"11 11 11 11"
page 11
check_eq "Tx output status all off (11h:133)" "ok 00" "$(xfer '50 85 r 1')"

page 10
ok "stage AppSel 2 (100GAUI-2) on lanes 1-8, DPIDs 0 2 4 6 (10h:145)" \
	xfer '50 91 w 20 20 24 24 28 28 2c 2c'
ok "ApplyDPInit lanes 1-8 (10h:143)" xfer '50 8f w ff'
check_eq "ApplyDPInit self-clears" "ok 00" "$(xfer '50 8f r 1')"
page 11
cfg_success() { [ "$(xfer '50 ca r 4')" = "ok 11 11 11 11" ]; }
ok "ConfigStatus ConfigSuccess on lanes 1-8 (11h:202)" wait_for 5 cfg_success
check_eq "active control set = the staged one (11h:206)" \
	"ok 20 20 24 24 28 28 2c 2c" "$(xfer '50 ce r 8')"

page 00
echo 0 >"$D/time_scale"
ok "SoftwareReset (byte 26 bit 3)" xfer '50 1a w 08'
check_eq "byte 26 back to its default" 0 "$(byte 1a)"
check_eq "page select back to 00h" 0 "$(byte 7f)"
check_eq "Ready again (time_scale 0: instant)" 3 "$(mstate)"
page 10
check_eq "page 10h controls back to defaults" "ok 00 00 00" \
	"$(xfer '50 80 r 3')"
check_eq "all lanes DPActivated again" "44 44 44 44" "$(dpstates)"

page 00
ok "stuck in ModuleFault (fault_stuck_fault)" sh -c "echo 1 >$D/fault_stuck_fault"
check_eq "module reports ModuleFault" 5 "$(mstate)"
check_eq "fault cause byte 41" 1 "$(byte 29)"
ok "reset does not clear a stuck fault" xfer '50 1a w 08'
check_eq "still ModuleFault after reset" 5 "$(mstate)"
echo 0 >"$D/fault_stuck_fault"
ok "reset after the fault clears" xfer '50 1a w 08'
check_eq "Ready after the fault clears" 3 "$(mstate)"

ok "LPMode line ignored while LowPwrAllowRequestHW is 0" \
	sh -c "echo 1 >$D/lpmode"
check_eq "still Ready" 3 "$(mstate)"
ok "LowPwrAllowRequestHW (byte 26 bit 6)" xfer '50 1a w 40'
check_eq "LPMode line now forces LowPwr" 1 "$(mstate)"
echo 0 >"$D/lpmode"
check_eq "LPMode released: Ready" 3 "$(mstate)"

echo 100 >"$D/time_scale"
echo 1000 >"$D/init_ms"
xfer '50 7f w 00' >/dev/null
clock hold
ok "SoftwareReset with init_ms=1000" xfer '50 1a w 08'
check_eq "MgmtInit: the module NACKs right after the reset" "error -6" \
	"$(xfer '50 00 r 1')"
clock "advance 900"
check_eq "MgmtInit: still NACKing 100 ms before init_ms ends" "error -6" \
	"$(xfer '50 00 r 1')"
clock "advance 200"
check_eq "MgmtInit over: it answers again" "ok 18" "$(xfer '50 00 r 1')"
clock run
check_eq "the clock runs again" running "$(cat "$D/clock")"
echo 0 >"$D/init_ms"

ok "rmmod optic_sim" rmmod optic_sim
