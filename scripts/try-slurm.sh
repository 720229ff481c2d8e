#!/usr/bin/env bash
# Proves the README's Slurm recipe on a real Slurm: a single-node cluster in a scratch folder (its own munge key,
# socket, ports, state and logs; no systemd), the README's array script submitted verbatim (only EXP and SHARDS,
# which the script reads, and resources that fit this machine are given on the sbatch command line), one task
# requeued mid-run, the README's merge command, and the merged records, events and metrics compared byte for byte
# with a single-machine run of the same experiment.
#
#   scripts/try-slurm.sh               # installs Debian's slurmctld slurmd slurm-client munge when missing (root + apt)
#   scripts/try-slurm.sh --no-install  # never installs: exit 77 when Slurm is missing (what the test uses)
#
# Exit 0: identical (the scratch folder is removed). Exit 1: a difference or a failure (the logs are printed, the
# scratch folder is kept). Exit 77: Slurm is missing and is not installed (--no-install, not root, or no apt-get).
# Only the daemons it starts are stopped, by their PIDs, at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 || ! command -v sbatch >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  if [ "${1:-}" != --no-install ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "try-slurm: installing slurmctld slurmd slurm-client munge (apt)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq slurmctld slurmd slurm-client munge >/dev/null
  else
    echo "try-slurm: skipped: Slurm is not installed (sudo apt-get install slurmctld slurmd slurm-client munge)" >&2
    exit 77
  fi
fi

DIR=$(mktemp -d "${TMPDIR:-/tmp}/welfare-sim-slurm-XXXXXX")
PIDS=()
stop_daemons() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
}
trap stop_daemons EXIT
fail() {
  echo "try-slurm: FAILED: $*" >&2
  for log in "$DIR"/*.log "$DIR"/work/slurm-*.out; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 30 "$log" >&2; }; done
  exit 1
}
# Waits for a condition (a shell command) for at most $1 seconds.
wait_for() {
  local limit=$1; shift
  for _ in $(seq $((limit * 5))); do if eval "$@"; then return 0; fi; sleep 0.2; done
  return 1
}

# --- munge, on its own socket and key
mkdir -p "$DIR/munge" && chmod 700 "$DIR/munge"
dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none && chmod 400 "$DIR/munge/munge.key"
munged --force --key-file="$DIR/munge/munge.key" --socket="$DIR/munge/munge.socket" --pid-file="$DIR/munge/munged.pid" \
  --log-file="$DIR/munged.log" --seed-file="$DIR/munge/munged.seed"
wait_for 10 '[ -s "$DIR/munge/munged.pid" ]' || fail "munged did not start"
PIDS+=("$(cat "$DIR/munge/munged.pid")")

# --- a one-node cluster on free ports
HOST=$(hostname -s)
CPUS=$(nproc)
MEMORY=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
PORT=$(( 20000 + RANDOM % 20000 ))
mkdir -p "$DIR/state" "$DIR/spool" "$DIR/work"
cat > "$DIR/slurm.conf" <<EOF
ClusterName=welfaretry
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AuthType=auth/munge
AuthInfo=socket=$DIR/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MpiDefault=none
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEMORY State=UNKNOWN
PartitionName=try Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$DIR/slurm.conf
slurmctld -c -f "$SLURM_CONF"
wait_for 20 '[ -s "$DIR/slurmctld.pid" ]' || fail "slurmctld did not start"
PIDS+=("$(cat "$DIR/slurmctld.pid")")
slurmd -f "$SLURM_CONF"
wait_for 20 '[ -s "$DIR/slurmd.pid" ]' || fail "slurmd did not start"
PIDS+=("$(cat "$DIR/slurmd.pid")")
wait_for 60 'sinfo -h -o %t 2>/dev/null | grep -qx idle' || fail "the node did not become idle: $(sinfo 2>&1)"
echo "try-slurm: cluster up ($CPUS CPUs, slurm $(sinfo -V | awk '{print $2}'))" >&2

# --- the experiment: the shipped sweep with fewer repetitions (2,600 conversations), kept outside the repository
# (it uses the shipped parts by id), and welfare-sim on PATH
sed 's/^repetitions: 20$/repetitions: 2/' experiments/threshold-sweep.yaml > "$DIR/sweep.yaml"
EXP=$DIR/sweep.yaml
mkdir -p "$DIR/bin" && ln -s "$REPO/bin/welfare-sim.js" "$DIR/bin/welfare-sim"
export PATH=$DIR/bin:$PATH
json_field() { node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(JSON.stringify(eval("m." + process.argv[2])))' "$@"; }

# --- the README's script, verbatim
awk '/^### Slurm: an array job/ {found = 1} found && /^```sh$/ {inside = 1; next} inside && /^```$/ {exit} inside {print}' README.md > "$DIR/work/sweep.sbatch"
grep -q '^#SBATCH --array=1-16$' "$DIR/work/sweep.sbatch" || fail "could not find the README's Slurm script"
cd "$DIR/work"
SHARDS=4
jobid=$(sbatch --parsable --array=1-$SHARDS --cpus-per-task=1 --mem=600M --export="ALL,EXP=$EXP,SHARDS=$SHARDS" sweep.sbatch)
echo "try-slurm: submitted array job $jobid ($SHARDS shards)" >&2

# Requeue shard 2 once it has written some conversations but not finished.
lines() { [ -f "$1" ] && wc -l < "$1" || echo 0; }
if wait_for 120 '[ "$(lines runs/sweep/shard-2/conversations.jsonl)" -gt 20 ]'; then
  if [ "$(json_field runs/sweep/shard-2/manifest.json status)" != '"complete"' ]; then
    scontrol requeue "${jobid}_2"
    echo "try-slurm: requeued task 2 after $(lines runs/sweep/shard-2/conversations.jsonl) conversations" >&2
    # Slurm holds a requeued job for a while (its begin time moves about two minutes ahead): start it now.
    wait_for 60 '[ "$(squeue -h -j "${jobid}_2" -o %T 2>/dev/null)" = PENDING ]' && scontrol update JobId="${jobid}_2" StartTime=now || true
    REQUEUED=1
  fi
fi
[ "${REQUEUED:-0}" = 1 ] || fail "task 2 finished before it could be requeued mid-run"

# The README's merge, after the whole array.
sed -n '/^jobid=\$(sbatch --parsable sweep.sbatch)$/,/^```$/p' "$REPO/README.md" | grep -v '^```' | grep -v '^jobid=' > merge.sh
merge_job=$(jobid=$jobid bash -c "$(sed 's/^sbatch /sbatch --parsable /' merge.sh)")
echo "try-slurm: merge job $merge_job waits for $jobid" >&2
wait_for 900 '[ -z "$(squeue -h -j "$jobid,$merge_job" 2>/dev/null)" ]' || fail "the jobs did not finish within 15 minutes"
[ -f runs/sweep/all/manifest.json ] || fail "the merge wrote no run"
[ "$(json_field runs/sweep/all/manifest.json status)" = '"complete"' ] || fail "the merged run is not complete"
[ "$(json_field runs/sweep/shard-2/manifest.json resumedAt.length)" -ge 1 ] || fail "shard 2 was not resumed after its requeue"

# --- one machine, same experiment
welfare-sim run "$EXP" --out single --no-report >/dev/null
for file in conversations.jsonl events.jsonl metrics.json; do
  cmp -s "single/$file" "runs/sweep/all/$file" || fail "$file differs between the merged shards and one machine"
done
echo "try-slurm: ok: merged run of $SHARDS Slurm tasks (task 2 requeued mid-run) is byte-identical to one machine ($(wc -l < single/conversations.jsonl) conversations)"
cd "$REPO"
stop_daemons
rm -rf "$DIR"
