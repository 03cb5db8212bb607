# SPDX-License-Identifier: GPL-2.0
# opticctl version and help, with and without the driver.

out=$(opticctl version)
check_eq "version works without the driver" 0 "$?"
check_match "version: program" "^opticctl [0-9]+\.[0-9]+\.[0-9]+$" "$(printf '%s\n' "$out" | head -n 1)"
check_match "version: no driver" "driver optic not loaded" "$out"
check_eq "JSON: driver null" null "$(opticctl -j version | jq .driver)"
check_eq "JSON: netlink family version" 1 "$(opticctl -j version | jq .genl_version)"
check_eq "-V matches" "$(opticctl version | head -n 1)" "$(opticctl -V)"
check_match "--help lists the commands" "set PORT lpmode" "$(opticctl --help)"

ok "optic_sim loads" load_sim ports=1
ok "optic.ko loads" load_optic
check_match "version: driver loaded" "^driver optic " "$(opticctl version)"
check_eq "JSON: driver string" string "$(opticctl -j version | jq -r '.driver | type')"
ok "rmmod optic" rmmod optic
ok "rmmod optic_sim" rmmod optic_sim
