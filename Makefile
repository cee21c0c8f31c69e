# The two commands a newcomer needs. Both install their own pinned tools first.
.PHONY: run test bench

run: ## build in release mode and start on http://127.0.0.1:3000 (embedded PostgreSQL unless DATABASE_URL is set)
	scripts/run.sh

test: ## format, clippy, unit, integration (PostgreSQL) and browser tests
	scripts/test.sh

bench: ## scheduling benchmark: 500 doctors, 1M appointments; figures as ratios to baselines from the same run
	scripts/bench.sh
