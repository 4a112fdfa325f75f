#!/usr/bin/env bash
# Load test of the extranet dashboard (cmd/courtier BenchmarkExtranetLoad): seeds one
# company of 5,000 employees and 20,000 requests, then 64 signed-in sessions load
# GET / on a real 127.0.0.1 listener for SECONDS (default 15), followed by a bare
# Fiber handler in the same run; prints req/s, p50, p95 and p99 of both. SQLite
# always; PostgreSQL too when COURTIER_TEST_POSTGRES_URL is set. The generator
# runs in the same process as the server: on a small machine they share the CPUs.
# Usage: scripts/load-extranet.sh [SECONDS]   (extra go test flags in TESTFLAGS,
# e.g. TESTFLAGS='-cpuprofile /tmp/cpu.out' to profile the server side)
set -euo pipefail
cd "$(dirname "$0")/.."
COURTIER_LOAD_SECONDS="${1:-15}" \
	go test -run '^$' -bench '^BenchmarkExtranetLoad$' -benchtime 1x -v -count=1 -timeout 60m ${TESTFLAGS:-} ./cmd/courtier/
