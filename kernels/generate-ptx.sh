#!/usr/bin/env bash
# Regenerates src/main/resources/dev/neurite/kernels/neurite.ptx from the kernel sources in
# the CUDA dialect. Run after changing a kernel; PtxTest fails while the checked-in PTX is stale.
set -euo pipefail
cd "$(dirname "$0")"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
command -v nvcc >/dev/null || { echo "nvcc is not on the PATH" >&2; exit 1; }
(cd .. && ./mvnw -q -B -pl kernels compile)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$JAVA_HOME/bin/java" -cp target/classes dev.neurite.kernels.KernelSources > "$work/neurite.cu"
nvcc -ptx -arch=compute_75 -o src/main/resources/dev/neurite/kernels/neurite.ptx "$work/neurite.cu"
echo "wrote src/main/resources/dev/neurite/kernels/neurite.ptx ($(grep -c '\.entry' src/main/resources/dev/neurite/kernels/neurite.ptx) kernels)"
