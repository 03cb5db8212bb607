# SPDX-License-Identifier: GPL-2.0
# optic.ko verify_select: a page select the module ignores (optic_sim
# fault_drop_page_select) is caught by reading the select bytes back (the
# write-completion poll, so no extra transfer), written once more, and
# reported as EIO when the module ignores it again; with verify_select=0 the
# driver trusts its cached page and serves the wrong one.
# timeout: 180

D=$SIM_DEBUGFS/port0
P=$OPTIC_CLASS/port0
PARM=/sys/module/optic/parameters

# bpage BANK PAGE / page PAGE: one upper page of the eeprom file, hex.
bpage() {
	dd if=$P/eeprom bs=128 skip=$((1 + $1 * 256 + $2)) count=1 2>/dev/null |
		od -An -tx1 -v | tr -d ' \n'
}
page() { bpage 0 "$1"; }
sel() { cat $D/page_selects; }
xa() { cat $D/transactions; }
warns() { dmesg | grep -c 'not taken'; }
nl_read3() { vm-nl read index=u32:0 page=u8:3 offset=u16:128 length=u16:16; }

ok "optic_sim loads" load_sim ports=1
ok "optic.ko loads (poll off)" load_optic poll_ms=0
ok "port0 identified" wait_for 10 test -e $P/vendor_sn
check_eq "verify_select defaults to on" Y "$(cat $PARM/verify_select)"
printf '\245\132\001\002\003\004\005\006' |
	dd of=$P/eeprom bs=8 seek=$(((128 + 3 * 128) / 8)) 2>/dev/null
ref3=$(page 3)
ref10=$(page 16)
refb1=$(bpage 1 16)
check_match "page 03h holds the test bytes" '^a55a010203040506' "$ref3"
ok "pages 03h and 10h differ" test "$ref3" != "$ref10"

# The read-back replaces the write-completion poll of byte 0.
page 16 >/dev/null
t0=$(xa)
page 3 >/dev/null
check_eq "verified select: write, read-back, access = 3 transfers" $((t0 + 3)) "$(xa)"
echo 0 >$PARM/verify_select
page 16 >/dev/null
t0=$(xa)
page 3 >/dev/null
check_eq "unverified select: write, completion poll, access = 3 transfers" \
	$((t0 + 3)) "$(xa)"
echo 1 >$PARM/verify_select

# One ignored select: detected, written again, the right page is served.
page 16 >/dev/null
s0=$(sel)
w0=$(warns)
echo 1 >$D/fault_drop_page_select
check_eq "ignored once: page 03h reads right" "$ref3" "$(page 3)"
check_eq "ignored once: knob consumed" 0 "$(cat $D/fault_drop_page_select)"
check_eq "ignored once: the select was written twice" $((s0 + 2)) "$(sel)"
check_eq "ignored once: logged" $((w0 + 1)) "$(warns)"
check_match "the log names the select and the read-back" \
	'port0: select 03 not taken, reads back 10, retrying' "$(dmesg | grep 'not taken' | tail -n 1)"

# Ignored twice: the access fails with EIO, nothing from the wrong page.
echo 2 >$D/fault_drop_page_select
check_match "ignored twice: eeprom read fails with EIO" "Input/output error" \
	"$(dd if=$P/eeprom of=/dev/null bs=128 skip=17 count=1 2>&1)"
check_eq "ignored twice: knob consumed" 0 "$(cat $D/fault_drop_page_select)"
check_eq "ignored twice: logged twice" $((w0 + 3)) "$(warns)"
check_eq "then the page is selected again and right" "$ref10" "$(page 16)"
echo 2 >$D/fault_drop_page_select
check_match "ignored twice: netlink EEPROM_READ fails with EIO and says why" \
	'^error 5: msg="module access failed"' "$(nl_read3 | grep '^error')"
check_match "then netlink reads page 03h right" "^data=$(echo "$ref3" | cut -c1-32)\$" \
	"$(nl_read3)"

# CMIS bank and page are written together: the page byte ignored, the bank
# taken; the read-back of both bytes shows it.
page 3 >/dev/null
echo 1 >$D/fault_drop_page_select
check_eq "bank/page select ignored once: bank 1 page 10h right" "$refb1" "$(bpage 1 16)"
check_match "logged with both bytes" 'select 01 10 not taken, reads back 01 03' \
	"$(dmesg | grep 'not taken' | tail -n 1)"

# verify_select=0: the ignored select goes unnoticed.
echo 0 >$PARM/verify_select
page 16 >/dev/null
echo 1 >$D/fault_drop_page_select
check_eq "verify off: page 10h is served for page 03h" "$ref10" "$(page 3)"
echo 1 >$PARM/verify_select
check_eq "verify on: selecting another page recovers" "$ref10" "$(page 16)"
check_eq "verify on: page 03h right again" "$ref3" "$(page 3)"

ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
