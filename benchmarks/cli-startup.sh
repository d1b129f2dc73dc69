#!/usr/bin/env bash
# Start-up time of the halo launcher, hyperfine-style: warm-up runs, then RUNS runs of each case, interleaved
# (so that a noisy neighbour hits every case alike), reported as median, mean and min in milliseconds.
#
#   benchmarks/cli-startup.sh [RUNS]        (after 'mvn install'; uses cli/target/halo)
#
# Cases: the JVM floor (an empty main class, same flags), 'halo --version', a read-only command ('space list'),
# both with and without the class-data-sharing archive (HALO_CDS=off), and a signing command ('space create')
# on a keyring with the default Argon2 cost, whose time is the start-up plus one Argon2 derivation; and that
# derivation alone (benchmarks/KeyringOpenTime.java), so that the two can be told apart.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
halo=$PWD/cli/target/halo
[ -x "$halo" ] || { echo "run 'mvn -P !shifted-clock install -DskipTests' first: $halo is missing" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/halo-startup.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
export HALO_KEYRING_PASSPHRASE="benchmark only: correct horse battery staple"
unset HALO_KEYRING_ARGON2 HALO_JAVA_OPTS HALO_CDS
"$halo" --home "$work/home" identity create --name Bench >/dev/null 2>&1
"$halo" --home "$work/home" space create Team >/dev/null

mkdir -p "$work/floor"
cat > "$work/floor/Floor.java" <<'JAVA'
public class Floor { public static void main(String[] a) { } }
JAVA
javac -d "$work/floor" "$work/floor/Floor.java"

cases=(floor version read read-no-cds read-c1 sign sign-c1)
run_case() {
  case $1 in
    floor)       java -XX:+UseSerialGC -Xshare:auto -cp "$work/floor" Floor ;;
    version)     "$halo" --version ;;
    read)        "$halo" --home "$work/home" space list ;;
    read-no-cds) HALO_CDS=off "$halo" --home "$work/home" space list ;;
    sign)        "$halo" --home "$work/home" space create "S$RANDOM$RANDOM" ;;
    read-c1)     HALO_JAVA_OPTS=-XX:TieredStopAtLevel=1 "$halo" --home "$work/home" space list ;;
    sign-c1)     HALO_JAVA_OPTS=-XX:TieredStopAtLevel=1 "$halo" --home "$work/home" space create "S$RANDOM$RANDOM" ;;
  esac
}
now() { date +%s%N; }
for c in "${cases[@]}"; do run_case "$c" >/dev/null 2>&1; run_case "$c" >/dev/null 2>&1; done
declare -A times
# Two rounds: the cases that only start and read, interleaved with one another; then those that sign. A signing
# run fills 256 MiB for Argon2, which would otherwise slow the short run after it.
for round in "floor version read read-no-cds read-c1" "sign sign-c1"; do
  for ((i = 0; i < runs; i++)); do
    for c in $round; do
      t0=$(now); run_case "$c" >/dev/null 2>&1; t1=$(now)
      times[$c]+="$(( (t1 - t0) / 1000 )) "
    done
  done
done
# One Argon2 derivation alone (the keyring unlock a signing command pays), timed inside a fresh JVM.
keyring=$(find "$work/home/identities" -name keyring.halo | head -1)
derive=""
for ((i = 0; i < runs; i++)); do
  derive+="$(java -XX:+UseSerialGC -cp "$PWD/cli/target/halo-cli.jar" benchmarks/KeyringOpenTime.java "$keyring" 2>/dev/null) "
done
echo "halo start-up, $runs runs each, $(nproc) cores, $(java -version 2>&1 | head -1)"
printf '%-12s %8s %8s %8s\n' case median mean min
for c in "${cases[@]}"; do
  # shellcheck disable=SC2086 # a list of numbers
  printf '%s\n' ${times[$c]} | sort -n | awk -v c="$c" '{ v[NR] = $1 / 1000; s += v[NR] }
    END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
          printf "%-12s %8.0f %8.0f %8.0f\n", c, m, s / NR, v[1] }'
done
# shellcheck disable=SC2086 # a list of numbers
printf '%s\n' $derive | sort -n | awk '{ v[NR] = $1; s += $1 }
  END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
        printf "%-12s %8.0f %8.0f %8.0f   (one keyring unlock, inside the JVM)\n", "argon2", m, s / NR, v[1] }'

