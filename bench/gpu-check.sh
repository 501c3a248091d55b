#!/usr/bin/env bash
# For the first machine with an NVIDIA GPU (Linux, JDK 25): runs the conformance suite on CUDA
# with both matrix-multiply paths (cuBLAS and the tiled kernel) and on OpenCL, then the
# CPU-vs-GPU matrix-multiply benchmark, and writes every log plus summary.md into one folder.
# Without a GPU it still runs, and says for each step what it skipped and why.
#
#   bench/gpu-check.sh [OUTPUT_DIR]        (default: gpu-check-YYYYmmdd-HHMMSS)
set -uo pipefail
cd "$(dirname "$0")/.."
out=${1:-gpu-check-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
summary="$out/summary.md"
echo "# Neurite GPU check, $(date -u '+%Y-%m-%d %H:%M UTC'), $(hostname)" > "$summary"
say() { echo "$*" | tee -a "$summary"; }

say ""
say "## Build"
if ! ./mvnw -B -DskipTests install > "$out/build.log" 2>&1; then
  say "- FAILED: see build.log"
  exit 1
fi
say "- ok"

say ""
say "## Devices"
$java -cp bench/target/benchmarks.jar dev.neurite.bench.Describe > "$out/devices.txt" 2> "$out/devices.err"
sed 's/^/- /' "$out/devices.txt" | tee -a "$summary"
available() { grep -q "^$1 available:" "$out/devices.txt"; }
reason() { grep "^$1 " "$out/devices.txt" | sed "s/^$1 //"; }

# conformance STEP MODULE [maven args]: the suite's own skip lines say why when the device is absent
conformance() {
  local step=$1 module=$2
  shift 2
  if ./mvnw -B -o verify -pl "$module" "$@" > "$out/$step.log" 2>&1; then
    local run skipped
    run=$(grep -E "^\[INFO\] Tests run: [0-9]+, Failures: 0, Errors: 0, Skipped: [0-9]+$" "$out/$step.log" | tail -n 1 | sed 's/\[INFO\] //')
    skipped=$(grep -m 1 "conformance on .* skipped:" "$out/$step.log")
    say "- $step: passed ($run)${skipped:+; SKIPPED: $skipped}"
  else
    say "- $step: FAILED, see $step.log"
  fi
}

say ""
say "## Conformance"
conformance conformance-cuda-cublas backend-cuda -Dneurite.cuda.gemm=cublas
conformance conformance-cuda-kernel backend-cuda -Dneurite.cuda.gemm=kernel
conformance conformance-opencl backend-opencl

say ""
say "## CPU vs GPU: matrix multiply (JMH)"
for backend in cpu opencl cuda; do
  if available "$backend"; then
    $java -jar bench/target/benchmarks.jar '\.GemmBenchmark' -p shape=1024x1024x1024,128x15x784 -p threads=2 \
        -f 1 -wi 2 -i 3 -w 1 -r 1 -jvmArgsAppend "-Dneurite.backend=$backend" > "$out/bench-$backend.log" 2>&1
    grep -A10 "^benchmark" "$out/bench-$backend.log" | sed "s/^/    [$backend] /" | tee -a "$summary"
  else
    say "- $backend: SKIPPED, $(reason "$backend")"
  fi
done
say ""
say "Results in $out"
