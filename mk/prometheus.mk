# SPDX-License-Identifier: GPL-2.0
# The monitoring contract (docs/metrics.md, docs/fleet.md) checked with
# promtool (Debian's prometheus package): the rule files and the fleet
# configs (with their file_sd targets) are valid, the rule tests in
# tests/prometheus/ pass, every recorded series the Grafana dashboards query
# has its rule, and opticd's exposition (test_opticd_manager's
# test_exposition writes it through the textfile output) passes
# `promtool check metrics`.

PROM_CONFIGS := $(wildcard contrib/prometheus/fleet-prometheus*.yml)
PROM_RULES := $(filter-out $(PROM_CONFIGS) contrib/prometheus/fleet-targets.yml, \
	$(wildcard contrib/prometheus/*.yml))
PROM_EXPOSITION := $(BUILD)/prometheus/opticd.prom

.PHONY: check-prometheus
check-prometheus: $(BUILD)/tests/test_opticd_manager
	promtool check rules $(PROM_RULES)
	promtool check config $(PROM_CONFIGS)
	promtool test rules tests/prometheus/*.test.yml
	@for n in $$(grep -oh '[a-z_]*:[a-z0-9_]*:[a-z0-9_]*' contrib/grafana/*.json | sort -u); do \
		grep -qx " *- record: $$n" $(PROM_RULES) || \
			{ echo "check-prometheus: no recording rule for $$n (contrib/grafana)"; exit 1; }; \
	done
	@mkdir -p $(dir $(PROM_EXPOSITION))
	@OPTICD_EXPOSITION=$(PROM_EXPOSITION) $< >$(PROM_EXPOSITION).log 2>&1 || \
		{ cat $(PROM_EXPOSITION).log; exit 1; }
	promtool check metrics <$(PROM_EXPOSITION)
	@echo "check-prometheus: $(words $(PROM_RULES)) rule files, $(words $(PROM_CONFIGS)) configs," \
		"$$(grep -c '^# TYPE' $(PROM_EXPOSITION)) metric families: ok"
