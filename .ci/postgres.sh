# Sourced by .ci/run: start a private PostgreSQL server (Debian's packages) for the tests, on a Unix
# socket in a temporary folder (no port, no clash with any other server), and export its URL as
# RECQUAL_TEST_POSTGRES_URL. The server stops and its folder is removed when the shell exits.
if ! ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_DIR=$(mktemp -d /tmp/recqual-pg.XXXXXX)
as_postgres() { if [ "$(id -u)" = 0 ]; then chown -R postgres: "$PG_DIR" && runuser -u postgres -- "$@"; else "$@"; fi; }
as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres > /dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -o "-k $PG_DIR -c listen_addresses=''" -l "$PG_DIR/server.log" -w start > /dev/null
trap 'as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop > /dev/null; rm -rf "$PG_DIR"' EXIT
as_postgres "$PG_BIN/createdb" -h "$PG_DIR" -U postgres recqual_test
export RECQUAL_TEST_POSTGRES_URL="postgresql://postgres@/recqual_test?host=$PG_DIR"
