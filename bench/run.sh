#!/usr/bin/env bash
# samestory vs its peers on the shared benchmark corpora.
#
#   bench/run.sh [N ...] [--peers-all] [--skip-peers] [--only TOOL[,TOOL]] [--rebuild]
#
# Sets up (once, cached) the Python environments, /usr/bin/time and the release binary, then hands
# over to bench/bench.py, which generates the corpora, runs the tools one after the other and prints
# the table. See bench/README.md.
set -euo pipefail

ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
SHARED=$(cd "$ROOT/../shared" && pwd)
BENCH="$ROOT/bench"
VENV="$BENCH/.venv"
VENV_TD="$BENCH/.venv-textdedup"
PY=${PYTHON:-python3}

# Peer versions, as named in ../shared/bench/README.md (requirements.txt pins gaoya, rensa,
# datasketch and scikit-learn already; installing them again here is a no-op that documents them).
PEERS="gaoya==0.2.2 rensa==0.5.0 datasketch==2.0.0 scikit-learn"
# text-dedup pins packages its MinHash path never uses, so it gets its own environment, installed
# exactly as the docstring of ../shared/bench/peers/dedup_textdedup.py says.
TEXTDEDUP_DEPS="datasets>=2.17 click click-option-group<0.6 tqdm rich<14 xxhash regex ftfy bitarray
psutil numpy scipy fire<0.7 pybloom-live zstandard"

log() { printf '[run.sh] %s\n' "$*" >&2; }

# A venv counts as ready when its stamp matches what we would install now.
setup_venv() {  # dir stamp-text install-function
    local dir=$1 want=$2 fn=$3
    if [[ -f "$dir/.stamp" && "$(cat "$dir/.stamp")" == "$want" ]]; then
        return
    fi
    log "creating $dir"
    rm -rf "$dir"
    "$PY" -m venv "$dir"
    "$dir/bin/pip" install -q --upgrade pip
    "$fn" "$dir"
    printf '%s' "$want" > "$dir/.stamp"
}
install_main() {
    "$1/bin/pip" install -q -r "$SHARED/bench/requirements.txt"
    # shellcheck disable=SC2086
    "$1/bin/pip" install -q $PEERS
}
install_textdedup() {
    "$1/bin/pip" install -q --no-deps text-dedup==0.4.0
    # shellcheck disable=SC2086
    "$1/bin/pip" install -q $TEXTDEDUP_DEPS
}

setup_venv "$VENV" "$(cat "$SHARED/bench/requirements.txt"; echo "$PEERS")" install_main
setup_venv "$VENV_TD" "text-dedup==0.4.0 $TEXTDEDUP_DEPS" install_textdedup

# GNU time gives the peak RSS of the whole process.
if ! /usr/bin/time -v true >/dev/null 2>&1; then
    log "installing GNU time"
    apt-get update -qq && apt-get install -y -qq time
fi

# The release binary; only built when missing (--rebuild forces cargo, which is a no-op when fresh).
BIN="$ROOT/target/release/samestory"
if [[ ! -x "$BIN" || " $* " == *" --rebuild "* ]]; then
    log "building samestory (cargo build --release -p samestory)"
    (cd "$ROOT" && cargo build --release -p samestory) || log "build failed: samestory rows will say not available"
fi

exec "$VENV/bin/python" "$BENCH/bench.py" --root "$ROOT" --shared "$SHARED" "$@"
