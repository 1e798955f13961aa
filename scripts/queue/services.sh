#!/usr/bin/env bash
# Throwaway PostgreSQL + Redis for n8n queue-mode end-to-end tests, on 127.0.0.1 only.
#
#   scripts/queue/services.sh install   # apt-get PostgreSQL and Redis (Debian packages) when missing
#   scripts/queue/services.sh check     # exit 3 and name what is missing when PostgreSQL or Redis is not installed
#   scripts/queue/services.sh start     # start both; prints the n8n env as KEY=VALUE lines
#   scripts/queue/services.sh env       # print the env of the running services again
#   scripts/queue/services.sh stop      # stop both (by recorded pid) and delete their data
#   scripts/queue/services.sh reap      # stop every <repo>/.e2e/queue/* whose QUEUE_SERVICES_OWNER_PID has died
#   scripts/queue/services.sh rabbitmq-check  # exit 3 when rabbitmq-server is not installed
#   scripts/queue/services.sh rabbitmq-start  # start RabbitMQ on 127.0.0.1; prints RABBITMQ_* KEY=VALUE lines
#   scripts/queue/services.sh rabbitmq-env    # print them again
#   scripts/queue/services.sh rabbitmq-stop   # stop it (node and its epmd, by pid) and delete its data
#
# `install` installs rabbitmq-server too (the broker suite needs it; the queue suite does not, so `check`
# stays about PostgreSQL and Redis). RabbitMQ state lives in ${RABBITMQ_SERVICES_DIR:-<repo>/.e2e/rabbitmq/run}.
#
# State lives in ${QUEUE_SERVICES_DIR:-<repo>/.e2e/queue/run}: services.env (KEY=VALUE, the n8n env),
# services.json (the same plus pids and paths), the PostgreSQL cluster, Redis's dir and both logs.
# QUEUE_SERVICES_OWNER_PID (optional, given to start): the process the services belong to; once it is gone
# (e.g. a test runner killed with SIGKILL, which runs no clean-up), `reap` stops what it left behind.
# Every command is idempotent: start on running services re-prints their env, stop on nothing is a no-op.
#
# Why it looks like this:
# - PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user (runuser);
# - no Unix sockets and listen_addresses=127.0.0.1 / bind 127.0.0.1: nothing but loopback TCP, checked
#   with `ss` after start;
# - no durability (fsync off, no Redis persistence): the data is deleted on stop anyway.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE_DIR="${QUEUE_SERVICES_DIR:-$REPO_ROOT/.e2e/queue/run}"
DB_NAME=n8n
DB_USER=n8n
PG_SUPERUSER=postgres

say() { printf '[queue-services] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
loud() {
	printf '\n%s\n' "########################################################################" >&2
	printf '[queue-services] %s\n' "$@" >&2
	printf '%s\n\n' "########################################################################" >&2
}

is_root() { [ "$(id -u)" = 0 ]; }

# Debian keeps the server binaries in /usr/lib/postgresql/<major>/bin; elsewhere they are on PATH.
pg_bin_dir() {
	local dir
	dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
	if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
	if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
	return 1
}

redis_bin() { command -v redis-server 2>/dev/null || { [ -x /usr/bin/redis-server ] && echo /usr/bin/redis-server; }; }

missing_packages() {
	local missing=()
	pg_bin_dir >/dev/null || missing+=(postgresql)
	redis_bin >/dev/null || missing+=(redis-server)
	# `ss` proves after start that nothing listens beyond 127.0.0.1.
	command -v ss >/dev/null 2>&1 || missing+=(iproute2)
	echo "${missing[@]:-}"
}

rabbitmq_sbin() { [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && echo /usr/lib/rabbitmq/bin; }
missing_rabbitmq() { rabbitmq_sbin >/dev/null || echo rabbitmq-server; }

cmd_install() {
	local missing
	missing="$(missing_packages) $(missing_rabbitmq)"
	missing="$(echo $missing)"
	if [ -z "$missing" ]; then
		say "PostgreSQL ($(pg_bin_dir)), Redis ($(redis_bin)) and RabbitMQ ($(rabbitmq_sbin)) are installed"
		return 0
	fi
	local sudo=()
	if ! is_root; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			sudo=(sudo -n)
		else
			# Not fatal: the queue suite then skips with a message naming what is missing.
			loud "MISSING: $missing" "Not root and no passwordless sudo: cannot apt-get install them." \
				"Install them yourself (Debian/Ubuntu: apt-get install $missing) or the queue-mode suite is SKIPPED."
			return 0
		fi
	fi
	command -v apt-get >/dev/null 2>&1 || {
		loud "MISSING: $missing" "No apt-get on this machine: install PostgreSQL and Redis yourself, or the queue-mode suite is SKIPPED."
		return 0
	}
	say "installing $missing from the distribution's packages"
	# Package scripts must not start system-wide services (Redis would listen on ::1 and 6379):
	# policy-rc.d exit 101 = "action forbidden", honoured by invoke-rc.d and deb-systemd-invoke.
	local policy=/usr/sbin/policy-rc.d added_policy=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
		"${sudo[@]}" chmod 755 "$policy"
		added_policy=1
	fi
	local status=0
	{
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
			"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				-o Dpkg::Use-Pty=0 $missing
	} >"${TMPDIR:-/tmp}/queue-services-apt.log" 2>&1 || status=$?
	[ "$added_policy" = 1 ] && "${sudo[@]}" rm -f "$policy"
	if [ "$status" != 0 ]; then
		tail -n 30 "${TMPDIR:-/tmp}/queue-services-apt.log" >&2
		die "apt-get install $missing failed (exit $status); full log: ${TMPDIR:-/tmp}/queue-services-apt.log"
	fi
	missing="$(echo $(missing_packages) $(missing_rabbitmq))"
	[ -z "$missing" ] || die "still missing after apt-get install: $missing"
	say "installed: PostgreSQL ($(pg_bin_dir)), Redis ($(redis_bin)), RabbitMQ ($(rabbitmq_sbin))"
}

random_secret() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }

# A port the kernel hands out for 127.0.0.1, released again (Node is always there: npm runs this).
free_port() {
	if command -v node >/dev/null 2>&1; then
		node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{const p=s.address().port;s.close(()=>console.log(p))})"
		return
	fi
	local port
	for _ in $(seq 1 50); do
		port=$((20000 + RANDOM % 40000))
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
	done
	die "no free port found"
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_pg_owner() {
	if is_root; then runuser -u "$PG_OWNER" -- "$@"; else "$@"; fi
}

read_state() {
	POSTGRES_PID=""; REDIS_PID=""; PG_DATA=""; OWNER_PID=""
	[ -f "$STATE_DIR/pids" ] && . "$STATE_DIR/pids"
	return 0
}

services_running() {
	read_state
	[ -f "$STATE_DIR/services.env" ] && pid_alive "$POSTGRES_PID" && pid_alive "$REDIS_PID"
}

# Listening sockets of a pid that are not on 127.0.0.1 (empty = fine).
foreign_listeners() {
	local pid="$1"
	ss -Hltnup 2>/dev/null | grep -F "pid=$pid," | awk '{print $5}' | grep -v '^127\.0\.0\.1:' || true
}

cmd_start() {
	if services_running; then
		say "already running (postgres pid $POSTGRES_PID, redis pid $REDIS_PID)"
		cat "$STATE_DIR/services.env"
		return 0
	fi
	# Leftovers of a crashed run: stop what is alive, then start clean.
	[ -d "$STATE_DIR" ] && cmd_stop
	local missing
	missing="$(missing_packages)"
	[ -z "$missing" ] || die "MISSING: $missing (run: $0 install)"
	local pg_bin redis_server
	pg_bin="$(pg_bin_dir)"
	redis_server="$(redis_bin)"

	# The parents keep the default mode (the cluster's owner must traverse them); what we create
	# stays private even when the repo is world-readable: it holds passwords.
	mkdir -p "$(dirname "$STATE_DIR")"
	umask 077
	mkdir -p "$STATE_DIR"
	PG_OWNER="$(id -un)"
	if is_root; then
		id "$PG_SUPERUSER" >/dev/null 2>&1 || die "running as root but there is no '$PG_SUPERUSER' user to own the cluster (apt-get install postgresql creates it)"
		PG_OWNER="$PG_SUPERUSER"
	fi

	# The cluster's owner must reach its data dir; under a private home (e.g. /root) it cannot: use /tmp.
	local pg_parent="$STATE_DIR/pg-parent"
	mkdir -p "$pg_parent"
	if is_root; then
		# Traverse-only for others: the owner can reach its cluster, nobody can list the state.
		chmod 711 "$STATE_DIR" "$pg_parent"
		if ! runuser -u "$PG_OWNER" -- test -x "$pg_parent"; then
			pg_parent="$(mktemp -d "${TMPDIR:-/tmp}/n8n-queue-pg.XXXXXX")"
		fi
		chown "$PG_OWNER" "$pg_parent"
	fi
	local pg_data="$pg_parent/data"
	local pg_port redis_port pg_password super_password redis_password
	pg_password="$(random_secret)"
	super_password="$(random_secret)"
	redis_password="$(random_secret)"
	printf 'PG_DATA=%q\nOWNER_PID=%q\n' "$pg_data" "${QUEUE_SERVICES_OWNER_PID:-}" >"$STATE_DIR/pids"

	local pwfile="$pg_parent/superuser.pw"
	printf '%s\n' "$super_password" >"$pwfile"
	chmod 600 "$pwfile"
	is_root && chown "$PG_OWNER" "$pwfile"
	say "initdb $pg_data (owner $PG_OWNER)"
	as_pg_owner "$pg_bin/initdb" -D "$pg_data" -U "$PG_SUPERUSER" --pwfile="$pwfile" --auth=scram-sha-256 \
		-E UTF8 --no-locale --no-sync >"$STATE_DIR/initdb.log" 2>&1 ||
		{ cat "$STATE_DIR/initdb.log" >&2; die "initdb failed"; }
	rm -f "$pwfile"

	local attempt
	for attempt in 1 2 3; do
		pg_port="$(free_port)"
		if as_pg_owner "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_parent/postgres.log" -w -t 60 -o \
			"-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
			start >/dev/null 2>&1; then
			break
		fi
		[ "$attempt" = 3 ] && { tail -n 30 "$pg_parent/postgres.log" >&2; die "PostgreSQL did not start"; }
		say "PostgreSQL did not start on port $pg_port (taken meanwhile?), retrying"
	done
	POSTGRES_PID="$(head -n 1 "$pg_data/postmaster.pid")"
	printf 'POSTGRES_PID=%q\n' "$POSTGRES_PID" >>"$STATE_DIR/pids"

	PGPASSWORD="$super_password" "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U "$PG_SUPERUSER" -d postgres \
		-v ON_ERROR_STOP=1 -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$pg_password'" -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" \
		>/dev/null || die "creating database $DB_NAME and user $DB_USER failed"

	local redis_dir="$STATE_DIR/redis"
	mkdir -p "$redis_dir"
	for attempt in 1 2 3; do
		redis_port="$(free_port)"
		# No config file on purpose: only these settings, no persistence, no Unix socket.
		cat >"$redis_dir/redis.conf" <<-EOF
			bind 127.0.0.1
			port $redis_port
			protected-mode yes
			requirepass $redis_password
			daemonize yes
			pidfile $redis_dir/redis.pid
			logfile $redis_dir/redis.log
			dir $redis_dir
			save ""
			appendonly no
			databases 2
		EOF
		chmod 600 "$redis_dir/redis.conf"
		rm -f "$redis_dir/redis.pid"
		"$redis_server" "$redis_dir/redis.conf" >/dev/null 2>&1 || true
		local waited=0
		while [ ! -s "$redis_dir/redis.pid" ] && [ "$waited" -lt 50 ]; do sleep 0.1; waited=$((waited + 1)); done
		REDIS_PID="$(cat "$redis_dir/redis.pid" 2>/dev/null || true)"
		if pid_alive "$REDIS_PID" && REDISCLI_AUTH="$redis_password" redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; then
			break
		fi
		[ "$attempt" = 3 ] && { tail -n 30 "$redis_dir/redis.log" >&2; die "Redis did not start"; }
		say "Redis did not start on port $redis_port, retrying"
	done
	printf 'REDIS_PID=%q\n' "$REDIS_PID" >>"$STATE_DIR/pids"

	local wrong
	wrong="$(foreign_listeners "$POSTGRES_PID")$(foreign_listeners "$REDIS_PID")"
	if [ -n "$wrong" ]; then
		cmd_stop
		die "a service listened outside 127.0.0.1: $wrong"
	fi

	cat >"$STATE_DIR/services.env" <<-EOF
		DB_TYPE=postgresdb
		DB_POSTGRESDB_HOST=127.0.0.1
		DB_POSTGRESDB_PORT=$pg_port
		DB_POSTGRESDB_DATABASE=$DB_NAME
		DB_POSTGRESDB_USER=$DB_USER
		DB_POSTGRESDB_PASSWORD=$pg_password
		QUEUE_BULL_REDIS_HOST=127.0.0.1
		QUEUE_BULL_REDIS_PORT=$redis_port
		QUEUE_BULL_REDIS_PASSWORD=$redis_password
	EOF
	cat >"$STATE_DIR/services.json" <<-EOF
		{
		  "env": {
		    "DB_TYPE": "postgresdb",
		    "DB_POSTGRESDB_HOST": "127.0.0.1",
		    "DB_POSTGRESDB_PORT": "$pg_port",
		    "DB_POSTGRESDB_DATABASE": "$DB_NAME",
		    "DB_POSTGRESDB_USER": "$DB_USER",
		    "DB_POSTGRESDB_PASSWORD": "$pg_password",
		    "QUEUE_BULL_REDIS_HOST": "127.0.0.1",
		    "QUEUE_BULL_REDIS_PORT": "$redis_port",
		    "QUEUE_BULL_REDIS_PASSWORD": "$redis_password"
		  },
		  "postgres": { "pid": $POSTGRES_PID, "port": $pg_port, "dataDir": "$pg_data", "log": "$pg_parent/postgres.log", "version": "$("$pg_bin/postgres" --version | awk '{print $3}')" },
		  "redis": { "pid": $REDIS_PID, "port": $redis_port, "dir": "$redis_dir", "log": "$redis_dir/redis.log", "version": "$("$redis_server" --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')" }
		}
	EOF
	say "PostgreSQL pid $POSTGRES_PID on 127.0.0.1:$pg_port, Redis pid $REDIS_PID on 127.0.0.1:$redis_port"
	cat "$STATE_DIR/services.env"
}

cmd_reap() {
	local dir
	for dir in "$REPO_ROOT"/.e2e/queue/*/; do
		[ -f "$dir/pids" ] || continue
		STATE_DIR="${dir%/}"
		read_state
		if [ -n "$OWNER_PID" ] && ! pid_alive "$OWNER_PID"; then
			say "reaping $STATE_DIR (owner pid $OWNER_PID is gone)"
			cmd_stop
		fi
	done
}

cmd_check() {
	local missing
	missing="$(missing_packages)"
	if [ -n "$missing" ]; then echo "$missing"; exit 3; fi
	if is_root && ! command -v runuser >/dev/null 2>&1; then echo "runuser (util-linux)"; exit 3; fi
	return 0
}

cmd_env() {
	services_running || die "not running (state: $STATE_DIR)"
	cat "$STATE_DIR/services.env"
}

# Waits up to $2 tenths of a second for pid $1 to exit.
wait_gone() {
	local waited=0
	while pid_alive "$1" && [ "$waited" -lt "$2" ]; do sleep 0.1; waited=$((waited + 1)); done
	! pid_alive "$1"
}

cmd_stop() {
	[ -d "$STATE_DIR" ] || { say "nothing to stop ($STATE_DIR does not exist)"; return 0; }
	read_state
	if pid_alive "$REDIS_PID"; then
		kill -TERM "$REDIS_PID" 2>/dev/null || true
		wait_gone "$REDIS_PID" 100 || kill -KILL "$REDIS_PID" 2>/dev/null || true
		say "stopped Redis (pid $REDIS_PID)"
	fi
	if pid_alive "$POSTGRES_PID"; then
		# SIGINT = PostgreSQL's "fast" shutdown: disconnect clients, stop now.
		kill -INT "$POSTGRES_PID" 2>/dev/null || true
		wait_gone "$POSTGRES_PID" 150 || kill -QUIT "$POSTGRES_PID" 2>/dev/null || true
		wait_gone "$POSTGRES_PID" 50 || true
		say "stopped PostgreSQL (pid $POSTGRES_PID)"
	fi
	# The cluster may live outside the state dir (see cmd_start): remove its parent too.
	if [ -n "${PG_DATA:-}" ] && [ "$(basename "$PG_DATA")" = data ]; then
		case "$(dirname "$PG_DATA")" in
			"$STATE_DIR"/* | "${TMPDIR:-/tmp}"/n8n-queue-pg.*) rm -rf "$(dirname "$PG_DATA")" ;;
		esac
	fi
	rm -rf "$STATE_DIR"
	say "removed $STATE_DIR"
}

# ---------------------------------------------------------------- RabbitMQ (broker end-to-end suite)
#
# Why it looks like this:
# - Debian's rabbitmq-server is started by hand, not as the system service: own node name, own base dir
#   (config, Mnesia, logs, Erlang cookie under HOME=<state>), nothing in /var/lib/rabbitmq touched;
# - three listeners, all on 127.0.0.1: AMQP (listeners.tcp), Erlang distribution
#   (RABBITMQ_DIST_PORT + inet_dist_use_interface) and epmd (ERL_EPMD_ADDRESS, own ERL_EPMD_PORT so the
#   machine's default epmd on 4369 is neither used nor started); `ss` checks it after start (epmd also
#   binds ::1, which is loopback too);
# - no plugins (no management UI port), its own user with a random password instead of guest.
RABBIT_DIR="${RABBITMQ_SERVICES_DIR:-$REPO_ROOT/.e2e/rabbitmq/run}"
RABBIT_NODE=n8ne2e@localhost

rabbit_read_state() {
	RABBIT_PID=""; RABBIT_EPMD_PORT=""; RABBIT_EPMD_PID=""
	[ -f "$RABBIT_DIR/pids" ] && . "$RABBIT_DIR/pids"
	return 0
}

# rabbitmqctl & co. with the environment the node was started with.
rabbit_env_run() {
	env HOME="$RABBIT_DIR" RABBITMQ_NODENAME="$RABBIT_NODE" ERL_EPMD_PORT="$RABBIT_EPMD_PORT" ERL_EPMD_ADDRESS=127.0.0.1 \
		RABBITMQ_BASE="$RABBIT_DIR" RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq.conf" \
		RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins" RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia" \
		RABBITMQ_LOG_BASE="$RABBIT_DIR/log" RABBITMQ_PID_FILE="$RABBIT_DIR/rabbitmq.pid" "$@"
}

rabbit_running() {
	rabbit_read_state
	[ -f "$RABBIT_DIR/rabbitmq.env" ] && pid_alive "$RABBIT_PID"
}

# Listening sockets of a pid outside loopback (empty = fine).
non_loopback_listeners() {
	ss -Hltnup 2>/dev/null | grep -F "pid=$1," | awk '{print $5}' | grep -v -e '^127\.0\.0\.1:' -e '^\[::1\]:' || true
}

cmd_rabbitmq_check() {
	local missing
	missing="$(missing_rabbitmq)"
	if [ -n "$missing" ]; then echo "$missing"; exit 3; fi
	return 0
}

cmd_rabbitmq_start() {
	if rabbit_running; then
		say "RabbitMQ already running (pid $RABBIT_PID)"
		cat "$RABBIT_DIR/rabbitmq.env"
		return 0
	fi
	[ -d "$RABBIT_DIR" ] && cmd_rabbitmq_stop
	local sbin
	sbin="$(rabbitmq_sbin)" || die "MISSING: rabbitmq-server (run: $0 install)"
	mkdir -p "$(dirname "$RABBIT_DIR")"
	umask 077
	mkdir -p "$RABBIT_DIR/log"
	local amqp_port dist_port password
	amqp_port="$(free_port)"
	dist_port="$(free_port)"
	RABBIT_EPMD_PORT="$(free_port)"
	password="$(random_secret)"
	printf 'RABBIT_EPMD_PORT=%q\nOWNER_PID=%q\n' "$RABBIT_EPMD_PORT" "${QUEUE_SERVICES_OWNER_PID:-}" >"$RABBIT_DIR/pids"
	cat >"$RABBIT_DIR/rabbitmq.conf" <<-EOF
		listeners.tcp.1 = 127.0.0.1:$amqp_port
		default_user = n8n
		default_pass = $password
		default_permissions.configure = .*
		default_permissions.read = .*
		default_permissions.write = .*
		loopback_users = none
		disk_free_limit.absolute = 50MB
		log.file.level = warning
	EOF
	echo '[].' >"$RABBIT_DIR/enabled_plugins"
	say "starting RabbitMQ ($RABBIT_NODE) on 127.0.0.1:$amqp_port (dist $dist_port, epmd $RABBIT_EPMD_PORT)"
	(
		cd "$RABBIT_DIR"
		rabbit_env_run RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$amqp_port" RABBITMQ_DIST_PORT="$dist_port" \
			RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
			setsid "$sbin/rabbitmq-server" >"$RABBIT_DIR/server.log" 2>&1 </dev/null &
	)
	local waited=0
	while [ ! -s "$RABBIT_DIR/rabbitmq.pid" ] && [ "$waited" -lt 300 ]; do sleep 0.1; waited=$((waited + 1)); done
	[ -s "$RABBIT_DIR/rabbitmq.pid" ] || { tail -n 30 "$RABBIT_DIR/server.log" >&2; die "RabbitMQ wrote no pid file"; }
	if ! rabbit_env_run "$sbin/rabbitmqctl" -q wait --timeout 120 "$RABBIT_DIR/rabbitmq.pid" >"$RABBIT_DIR/wait.log" 2>&1; then
		tail -n 30 "$RABBIT_DIR/server.log" "$RABBIT_DIR/wait.log" >&2
		cmd_rabbitmq_stop
		die "RabbitMQ did not start"
	fi
	RABBIT_PID="$(cat "$RABBIT_DIR/rabbitmq.pid")"
	RABBIT_EPMD_PID="$(ss -Hltnp 2>/dev/null | grep -F "127.0.0.1:$RABBIT_EPMD_PORT " | sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -n 1)"
	printf 'RABBIT_PID=%q\nRABBIT_EPMD_PID=%q\n' "$RABBIT_PID" "$RABBIT_EPMD_PID" >>"$RABBIT_DIR/pids"
	local wrong
	wrong="$(non_loopback_listeners "$RABBIT_PID")"
	[ -n "$RABBIT_EPMD_PID" ] && wrong="$wrong$(non_loopback_listeners "$RABBIT_EPMD_PID")"
	if [ -n "$wrong" ]; then
		cmd_rabbitmq_stop
		die "RabbitMQ listened outside loopback: $wrong"
	fi
	cat >"$RABBIT_DIR/rabbitmq.env" <<-EOF
		RABBITMQ_HOST=127.0.0.1
		RABBITMQ_PORT=$amqp_port
		RABBITMQ_USER=n8n
		RABBITMQ_PASSWORD=$password
		RABBITMQ_URL=amqp://n8n:$password@127.0.0.1:$amqp_port
		RABBITMQ_VERSION=$(rabbit_env_run "$sbin/rabbitmqctl" -q version 2>/dev/null || echo unknown)
	EOF
	say "RabbitMQ pid $RABBIT_PID on 127.0.0.1:$amqp_port (epmd pid ${RABBIT_EPMD_PID:-?})"
	cat "$RABBIT_DIR/rabbitmq.env"
}

cmd_rabbitmq_env() {
	rabbit_running || die "RabbitMQ is not running (state: $RABBIT_DIR)"
	cat "$RABBIT_DIR/rabbitmq.env"
}

cmd_rabbitmq_stop() {
	[ -d "$RABBIT_DIR" ] || { say "RabbitMQ: nothing to stop ($RABBIT_DIR does not exist)"; return 0; }
	rabbit_read_state
	if pid_alive "$RABBIT_PID"; then
		local sbin
		sbin="$(rabbitmq_sbin || true)"
		[ -n "$sbin" ] && rabbit_env_run "$sbin/rabbitmqctl" -q stop >/dev/null 2>&1 || kill -TERM "$RABBIT_PID" 2>/dev/null || true
		wait_gone "$RABBIT_PID" 300 || kill -KILL "$RABBIT_PID" 2>/dev/null || true
		say "stopped RabbitMQ (pid $RABBIT_PID)"
	fi
	# The node's own epmd (on our port) outlives it; the machine's default epmd is never touched.
	if [ -z "$RABBIT_EPMD_PID" ] && [ -n "$RABBIT_EPMD_PORT" ]; then
		RABBIT_EPMD_PID="$(ss -Hltnp 2>/dev/null | grep -F "127.0.0.1:$RABBIT_EPMD_PORT " | sed -n 's/.*pid=\([0-9]*\),.*/\1/p' | head -n 1)"
	fi
	if pid_alive "$RABBIT_EPMD_PID"; then
		kill -TERM "$RABBIT_EPMD_PID" 2>/dev/null || true
		wait_gone "$RABBIT_EPMD_PID" 50 || kill -KILL "$RABBIT_EPMD_PID" 2>/dev/null || true
		say "stopped its epmd (pid $RABBIT_EPMD_PID)"
	fi
	rm -rf "$RABBIT_DIR"
	say "removed $RABBIT_DIR"
}

case "${1:-}" in
	install) cmd_install ;;
	check) cmd_check ;;
	reap) cmd_reap ;;
	start) cmd_start ;;
	env) cmd_env ;;
	stop) cmd_stop ;;
	rabbitmq-check) cmd_rabbitmq_check ;;
	rabbitmq-start) cmd_rabbitmq_start ;;
	rabbitmq-env) cmd_rabbitmq_env ;;
	rabbitmq-stop) cmd_rabbitmq_stop ;;
	*)
		echo "usage: $0 install|check|start|env|stop|reap|rabbitmq-check|rabbitmq-start|rabbitmq-env|rabbitmq-stop   (state: \${QUEUE_SERVICES_DIR:-<repo>/.e2e/queue/run}, \${RABBITMQ_SERVICES_DIR:-<repo>/.e2e/rabbitmq/run})" >&2
		exit 2
		;;
esac
