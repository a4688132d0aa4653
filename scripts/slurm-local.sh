#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine (Debian 12: slurm-wlm 22.05 and munge from apt),
# for the end-to-end scale-out tests and for trying `bench slurm` without a real cluster.
#
#   scripts/slurm-local.sh          install if needed, write the configuration, start the daemons
#   scripts/slurm-local.sh stop     stop the daemons
#   scripts/slurm-local.sh status   print `sinfo` and exit 0 when the node is idle
#
# The cluster: munged, slurmctld and slurmd as root on this host, one partition `local` holding
# this node with all its CPUs and memory (from `slurmd -C`), no cgroups (proctrack/linuxproc,
# task/none), no accounting database, requeue allowed. State lives under /var/lib/bench-slurm,
# logs under /var/log/bench-slurm. Idempotent: running it again restarts the daemons with a
# fresh configuration. Needs root (or sudo) for apt and the daemons.
set -euo pipefail
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
STATE=/var/lib/bench-slurm
LOGS=/var/log/bench-slurm
CONF=/etc/slurm/slurm.conf

stop() {
  for d in slurmd slurmctld; do $SUDO pkill -x "$d" 2>/dev/null || true; done
  # Wait for both to go before a restart reuses their ports.
  for _ in $(seq 50); do pgrep -x slurmctld >/dev/null || pgrep -x slurmd >/dev/null || break; sleep 0.1; done
}

status() {
  sinfo --noheader --format='%P %a %T %D %c' 2>/dev/null || { echo "slurm-local: slurmctld does not answer" >&2; return 1; }
  [[ "$(sinfo --noheader --format=%T 2>/dev/null | head -1)" =~ ^(idle|mixed|allocated|completing)$ ]]
}

case "${1:-start}" in
  stop) stop; exit 0 ;;
  status) status; exit $? ;;
  start) ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac

need=()
for p in slurm-wlm munge; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if ((${#need[@]})); then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# munge: a key (the package's postinst makes one; make it if missing), then the daemon as `munge`.
if [[ ! -s /etc/munge/munge.key ]]; then
  $SUDO mungekey --create --force 2>/dev/null || $SUDO dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
  $SUDO chown munge:munge /etc/munge/munge.key; $SUDO chmod 600 /etc/munge/munge.key
fi
$SUDO mkdir -p /run/munge /var/log/munge /var/lib/munge
$SUDO chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  $SUDO pkill -x munged 2>/dev/null || true
  $SUDO runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi
munge -n | unmunge >/dev/null || { echo "slurm-local: munged does not answer" >&2; exit 1; }

stop
host=$(hostname -s)
node=$(slurmd -C | head -1)                    # NodeName=<host> CPUs=… RealMemory=…
$SUDO mkdir -p "$STATE/ctld" "$STATE/d" "$LOGS" /etc/slurm
$SUDO tee "$CONF" >/dev/null <<EOF
# Written by scripts/slurm-local.sh: a one-node cluster for AlignmentBench's tests.
ClusterName=bench-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobRequeue=1
MinJobAge=300
SlurmctldTimeout=30
SlurmdTimeout=30
$node State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
$SUDO /usr/sbin/slurmctld -i    # -i: ignore state left by an earlier cluster
$SUDO /usr/sbin/slurmd
for _ in $(seq 100); do status >/dev/null 2>&1 && break; sleep 0.2; done
if ! status; then
  echo "slurm-local: the node did not come up; see $LOGS/slurmctld.log and $LOGS/slurmd.log" >&2
  exit 1
fi
echo "slurm-local: cluster bench-local up on $host (partition local)"
