#!/usr/bin/env bash
# A local Ballista cluster for `mltest run --engine ballista` (PRODUCT.md §14): `make cluster`
# and `make cluster-stop`.
#
#   scripts/cluster.sh start BIN_DIR STATE_DIR   the scheduler on 127.0.0.1:50050 and one
#                                                executor (127.0.0.1:50051-50052), in the
#                                                background; logs, process ids and the
#                                                executor's work folder in STATE_DIR
#   scripts/cluster.sh stop STATE_DIR            stops them
#
# MEMORY_LIMIT_MB (512) is the executor's memory pool; past it, sorts and groupings spill to
# STATE_DIR/work.
set -euo pipefail

SCHEDULER=127.0.0.1:50050
EXECUTOR=127.0.0.1:50051

say() { printf 'cluster: %s\n' "$*"; }

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Waits until something listens on HOST:PORT, or the process with id file $2 has ended.
wait_for() {
  local address=$1 pid_file=$2 name=$3
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/${address%:*}/${address#*:}") 2>/dev/null; then
      return 0
    fi
    if ! running "$pid_file"; then
      say "the $name stopped; its log:"
      tail -20 "${pid_file%.pid}.log" >&2
      return 1
    fi
    sleep 0.1
  done
  say "the $name did not listen on $address within 30 s (log: ${pid_file%.pid}.log)"
  return 1
}

start() {
  local bin=$1 state=$2
  mkdir -p "$state/work"
  if running "$state/scheduler.pid" || running "$state/executor.pid"; then
    say "already running (make cluster-stop stops it)"
    return 0
  fi
  if (exec 3<>"/dev/tcp/${SCHEDULER%:*}/${SCHEDULER#*:}") 2>/dev/null; then
    say "something else listens on $SCHEDULER: stop it first"
    return 1
  fi
  nohup "$bin/mltest-cluster" scheduler --bind "$SCHEDULER" >"$state/scheduler.log" 2>&1 &
  echo $! >"$state/scheduler.pid"
  wait_for "$SCHEDULER" "$state/scheduler.pid" scheduler
  nohup "$bin/mltest-cluster" executor --bind "$EXECUTOR" --scheduler "$SCHEDULER" \
    --memory-limit "${MEMORY_LIMIT_MB:-512}" --work-dir "$state/work" >"$state/executor.log" 2>&1 &
  echo $! >"$state/executor.pid"
  wait_for "$EXECUTOR" "$state/executor.pid" executor
  say "scheduler on $SCHEDULER, executor on $EXECUTOR (logs in $state)"
  say "run: $bin/mltest run SUITE --data FILES --engine ballista --scheduler df://$SCHEDULER"
}

stop() {
  local state=$1 stopped=0
  for name in executor scheduler; do
    if running "$state/$name.pid"; then
      kill "$(cat "$state/$name.pid")"
      stopped=1
    fi
    rm -f "$state/$name.pid"
  done
  if [ "$stopped" = 1 ]; then say "stopped"; else say "not running"; fi
}

case "${1:-}" in
  start) start "$2" "$3" ;;
  stop) stop "$2" ;;
  *)
    echo "usage: scripts/cluster.sh start BIN_DIR STATE_DIR | stop STATE_DIR" >&2
    exit 2
    ;;
esac
