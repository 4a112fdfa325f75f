#!/usr/bin/env bash
# The one test command (`make test`): starts the real components the tests
# need on loopback (a throwaway PostgreSQL), runs go vet and every Go test
# against both SQLite and PostgreSQL, then stops what it started.
# Arguments narrow the packages (`make test ARGS=./internal/auth`); TESTFLAGS
# adds go test flags (`TESTFLAGS='-run Login' make test`).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

WORK=$(mktemp -d /tmp/courtier-test.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
	set +e
	for f in "$WORK"/pg/postmaster.pid; do
		[ -f "$f" ] && kill -QUIT "$(head -1 "$f")" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.2
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# --- PostgreSQL -------------------------------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(pg_bin)" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	log "installing postgresql (apt-get)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PGBIN=$(pg_bin)
if [ -n "$PGBIN" ]; then
	PGDATA="$WORK/pg"
	mkdir -p "$PGDATA"
	as_pg=()
	if [ "$(id -u)" = 0 ]; then
		chown postgres:postgres "$PGDATA"
		as_pg=(runuser -u postgres --)
	fi
	chmod 700 "$PGDATA"
	"${as_pg[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
		--no-sync --no-instructions >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; die "initdb failed"; }
	PGPORT=$(( 20000 + RANDOM % 20000 ))
	"${as_pg[@]}" "$PGBIN/postgres" -D "$PGDATA" -h 127.0.0.1 -p "$PGPORT" -k "$PGDATA" \
		-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 \
		>"$WORK/postgres.log" 2>&1 &
	for _ in $(seq 1 100); do
		"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" && break
		sleep 0.1
	done
	"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" || { cat "$WORK/postgres.log"; die "PostgreSQL did not start"; }
	export COURTIER_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres?sslmode=disable"
	log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT"
elif [ "${CI:-}" = true ]; then
	die "PostgreSQL is not installed and could not be installed: the PostgreSQL half of the tests cannot run under CI=true"
else
	log "PostgreSQL not found: its half of the store tests will be skipped (install postgresql to run them)"
fi

# --- Dovecot (the IMAP tests start their own throwaway instances) ------------
if ! { command -v dovecot >/dev/null || test -x /usr/sbin/dovecot; } && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	log "installing dovecot (apt-get)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dovecot-imapd dovecot-core >/dev/null
fi

# --- PDF and XML tools (the generated documents are checked with pdftotext and
# qpdf, the Factur-X XML with xmllint against its XSD) ------------------------
pdf_need=()
command -v pdftotext >/dev/null || pdf_need+=(poppler-utils)
command -v qpdf >/dev/null || pdf_need+=(qpdf)
command -v xmllint >/dev/null || pdf_need+=(libxml2-utils)
test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || pdf_need+=(fonts-dejavu-core) # the store's PDF-text tests
if [ ${#pdf_need[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	log "installing ${pdf_need[*]} (apt-get)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pdf_need[@]}" >/dev/null
fi

# --- Chromium (extranet/browsertest drives the extranet in headless Chromium) --
if ! { test -x /usr/lib/chromium/chromium || command -v chromium >/dev/null; } && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	log "installing chromium (apt-get)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# --- Go ----------------------------------------------------------------------
PKGS=("${@:-./...}")
log "go vet ${PKGS[*]}"
go vet "${PKGS[@]}"

log "go test (SQLite and PostgreSQL)"
set +e
go test -count=1 -v ${TESTFLAGS:-} "${PKGS[@]}" >"$WORK/test.log" 2>&1
status=$?
set -e
# Package verdicts, failures with their output, then a per-dialect count.
grep -E '^(ok|FAIL|---|\?)\s' "$WORK/test.log" | grep -v '^?' || true
if [ $status -ne 0 ]; then
	log "failures"
	grep -E -- '^\s*--- FAIL|^\s+[A-Za-z0-9_]+\.go:[0-9]+:|^panic:|^FAIL|build failed|^#|^[./a-z].*\.go:[0-9]+:[0-9]+:' "$WORK/test.log" | head -400
fi
sq=$(grep -cE -- '--- PASS: .*/sqlite( |$)' "$WORK/test.log" || true)
pg=$(grep -cE -- '--- PASS: .*/postgres( |$)' "$WORK/test.log" || true)
skip=$(grep -cE -- '--- SKIP' "$WORK/test.log" || true)
passed=$(grep -cE -- '--- PASS' "$WORK/test.log" || true)
failed=$(grep -cE -- '--- FAIL' "$WORK/test.log" || true)
log "dialect runs: ${sq} passed on SQLite, ${pg} passed on PostgreSQL"
echo "tests: ${passed} passed, ${failed} failed, ${skip} skipped"
exit $status
