#!/bin/sh
# Makes sure the tools the browser and notebook tests need are present; installs what is missing where it can
# (root with apt: Debian/Ubuntu), otherwise says exactly what to install. Idempotent and silent when all is there.
#
#   Chromium          /usr/bin/chromium          apt-get install chromium   (Debian's; never a downloaded browser)
#   Jupyter           jupyter nbconvert, nbclient, ipykernel
#                                                apt-get install jupyter-nbconvert python3-ipykernel jupyter-client python3-nbclient
#   Deno              node_modules/deno/deno     linked from the @deno/<platform> npm package (npm 11 skips its postinstall)
#   tmux              drives `welfare-sim chat` in a real terminal   apt-get install tmux
#   Slurm             the README's array-job recipe on a one-node cluster (test/scale/slurm.test.ts)
#                                                apt-get install slurmctld slurmd slurm-client munge
#   Deno kernel       a "deno" Jupyter kernelspec for people opening the notebooks (tests use their own)
set -eu
cd "$(dirname "$0")/.."

# The Python that runs `jupyter` (Debian's /usr/bin/python3, whatever pyenv or a venv put first on PATH).
jupyter_python=/usr/bin/python3
if command -v jupyter >/dev/null 2>&1; then
  jupyter_python=$(head -n 1 "$(command -v jupyter)" | sed -e 's/^#! *//' -e 's/ .*//')
fi

missing_apt=""
[ -x /usr/bin/chromium ] || missing_apt="$missing_apt chromium"
command -v tmux >/dev/null 2>&1 || missing_apt="$missing_apt tmux"   # the terminal chat is tested in a real terminal
for tool in slurmctld slurmd sbatch munged; do
  if ! command -v "$tool" >/dev/null 2>&1; then missing_apt="$missing_apt slurmctld slurmd slurm-client munge"; break; fi
done
if ! command -v jupyter >/dev/null 2>&1 || ! "$jupyter_python" -c 'import nbconvert, nbclient, ipykernel, jupyter_client' >/dev/null 2>&1; then
  missing_apt="$missing_apt jupyter-nbconvert python3-ipykernel jupyter-client python3-nbclient"
fi

if [ -n "$missing_apt" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-test-tools: installing$missing_apt (apt)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq $missing_apt >/dev/null
  else
    echo "ensure-test-tools: missing$missing_apt" >&2
    echo "  install them with: sudo apt-get install -y$missing_apt" >&2
    exit 1
  fi
fi

if [ ! -x node_modules/deno/deno ]; then
  if [ ! -f node_modules/deno/install.cjs ]; then
    echo "ensure-test-tools: node_modules/deno is missing: run npm ci first" >&2
    exit 1
  fi
  # links the binary shipped in the optional dependency @deno/<platform>; no download
  node node_modules/deno/install.cjs >/dev/null
fi

# The program a kernelspec starts (argv[0] of its kernel.json), or "" when the file does not say.
kernel_program() {
  node -e 'try { const k = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); process.stdout.write(String((k.argv || [])[0] || "")); } catch {}' "$1"
}

# Whether a kernelspec's program exists: an absolute path that is executable, or a bare name on PATH.
kernel_program_exists() {
  case "$1" in
    "") return 0 ;;
    /*) [ -x "$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

# `deno jupyter --install` writes the kernelspec here, pointing at this checkout's deno binary. One that points at
# a binary that is gone (another checkout, since deleted) is replaced: Jupyter would fail to start it.
kernels="$HOME/.local/share/jupyter/kernels"
deno_kernel="$kernels/deno/kernel.json"
if [ -f "$deno_kernel" ] && ! kernel_program_exists "$(kernel_program "$deno_kernel")"; then
  echo "ensure-test-tools: the deno Jupyter kernel pointed at a missing $(kernel_program "$deno_kernel"); re-pointing it at this checkout" >&2
  node_modules/deno/deno jupyter --install --force >/dev/null 2>&1
fi
if [ ! -f "$deno_kernel" ]; then
  node_modules/deno/deno jupyter --install >/dev/null 2>&1
fi

# Other kernels are the user's own: say which ones are broken, remove none.
for spec in "$kernels"/*/kernel.json; do
  [ -f "$spec" ] || continue
  program=$(kernel_program "$spec")
  if ! kernel_program_exists "$program"; then
    name=$(basename "$(dirname "$spec")")
    echo "ensure-test-tools: the Jupyter kernel \"$name\" starts $program, which does not exist (remove it: jupyter kernelspec remove $name)" >&2
  fi
done
