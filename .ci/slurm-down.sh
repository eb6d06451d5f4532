#!/usr/bin/env bash
# Stop the one-node SLURM cluster started by .ci/slurm-up.sh (only the daemons it started,
# by their pid files in $LB_SLURM_DIR), and restore /etc/slurm/slurm.conf.
set -uo pipefail

SLURM_DIR="${LB_SLURM_DIR:-/tmp/lb-slurm}"

stop_pid_file() {  # stop_pid_file NAME PIDFILE
    local name="$1" pid_file="$2" pid
    [[ -f "$pid_file" ]] || return 0
    pid="$(cat "$pid_file" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "slurm-down: $name ($pid) did not stop on TERM; sending KILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pid_file"
}

# Jobs still queued or running would be killed with slurmd anyway; cancel them cleanly first.
if command -v scancel >/dev/null && [[ -f "$SLURM_DIR/slurmctld.pid" ]]; then
    scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
fi

stop_pid_file slurmd "$SLURM_DIR/slurmd.pid"
stop_pid_file slurmctld "$SLURM_DIR/slurmctld.pid"

# munged: only if slurm-up.sh started it (it records munged's own pid file here).
if [[ -f "$SLURM_DIR/munged.pid" ]]; then
    stop_pid_file munged "$(cat "$SLURM_DIR/munged.pid")"
    rm -f "$SLURM_DIR/munged.pid"
fi

if [[ -L /etc/slurm/slurm.conf && "$(readlink /etc/slurm/slurm.conf)" == "$SLURM_DIR/slurm.conf" ]]; then
    rm -f /etc/slurm/slurm.conf
    if [[ -e /etc/slurm/slurm.conf.lb-backup ]]; then
        mv /etc/slurm/slurm.conf.lb-backup /etc/slurm/slurm.conf
    fi
fi
echo "slurm-down: stopped"
