#!/usr/bin/env python3
"""Neurite against its CPU peers in one sitting, as a Markdown report with ratios.

Usage: compare.py [--threads N] [--jar PATH] [--quick] [--skip-gemm] [--skip-epochs] [--out FILE]

- Training: the epoch recipes of `neurite bench` (784-15-10 SGD at batch 10 and 128, 784-512-512-10
  Adam at batch 128, LeNet Adam at batch 64), one step timed by JMH (`TrainingStepBenchmark.step`)
  and by `pytorch_epochs.py` with PyTorch on as many threads (OMP_NUM_THREADS and
  torch.set_num_threads); the epoch is the step time times the steps of 60,000 samples. PyTorch
  runs twice: tuned (the OpenBLAS core type below, subnormals flushed, passive OpenMP waits: see
  pytorch_epochs.py) and as installed (none of these); it
  is skipped, with the reason, when no Python here imports torch ($TORCH_PYTHON, this one, /usr/bin/python3).
- GEMM: Neurite's `GemmBenchmark` against OpenBLAS through `NetlibGemmBenchmark -p impl=native`,
  both at each thread count from 1 to N, for 1024³ and the layer products of 784-512-512-10 at
  batch 128. OpenBLAS 0.3.21 does not know recent CPUs and then runs generic SSE kernels, so the
  core type is set from the CPU flags (SkylakeX with avx512f, else Haswell with avx2) unless
  OPENBLAS_CORETYPE is already set; the report prints the one used.

Build first: `./mvnw -o -q install -pl bench -am -DskipTests` (benchmarks.jar). The JVM is
$JAVA_HOME/bin/java (JDK 25).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EPOCH = 60_000
WORKLOADS = [("classic-b10", "classic", 10), ("classic-b128", "classic", 128), ("mlp-large", "mlp-large", 128),
             ("lenet", "lenet", 64)]
GEMM_SHAPES = ["1024x1024x1024", "128x512x784", "784x512x128:TN", "128x784x512:NT", "128x512x512",
               "512x512x128:TN", "128x512x512:NT", "128x10x512", "10x15x784", "128x15x784"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--jar", default=os.path.join(HERE, "..", "target", "benchmarks.jar"))
    p.add_argument("--quick", action="store_true", help="shorter JMH runs and PyTorch rounds")
    p.add_argument("--skip-gemm", action="store_true")
    p.add_argument("--skip-epochs", action="store_true")
    p.add_argument("--out", help="also write the report here")
    args = p.parse_args()
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
    core = os.environ.get("OPENBLAS_CORETYPE") or core_type()
    lines = ["# Neurite and its CPU peers", "",
             f"CPU: {cpu_model()} ({isa()}), {os.cpu_count()} logical cores; threads: {args.threads}; "
             f"OpenBLAS core type: {core or 'library default'}; {'quick' if args.quick else 'full'} run.", ""]
    if not args.skip_epochs:
        lines += epochs(java, args, core)
    if not args.skip_gemm:
        lines += gemm(java, args, core)
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        with open(args.out, "w") as f:
            f.write(report)


def epochs(java, args, core):
    ours = {}
    threads = str(args.threads)
    for name, model, batch in WORKLOADS:
        rows = jmh(java, args, ["TrainingStepBenchmark.step$", "-p", f"model={model}", "-p", f"batch={batch}",
                                "-p", f"threads={threads}"], {})
        ours[name] = rows[0]["primaryMetric"]["score"] * 1e-6 * EPOCH / batch
    tuned, why = pytorch(args, core, False)
    plain, why_plain = pytorch(args, None, True)
    out = ["## Training, one epoch of 60,000 samples", "",
           f"PyTorch tuned: {why}.", "", f"PyTorch as installed: {why_plain}.", "",
           "| workload | Neurite | PyTorch tuned | Neurite speedup | PyTorch as installed | Neurite speedup |",
           "|---|---|---|---|---|---|"]
    for name, _, _ in WORKLOADS:
        row = f"| {name} | {ours[name]:.3f} s |"
        for theirs in (tuned, plain):
            t = theirs.get(name)
            row += f" {t:.3f} s | {t / ours[name]:.2f}x |" if t else " — | — |"
        out.append(row)
    return out + [""]


def torch_python():
    """The first Python that imports torch: $TORCH_PYTHON, this one, then the system's (Debian's python3-torch)."""
    for python in (os.environ.get("TORCH_PYTHON"), sys.executable, "/usr/bin/python3"):
        if python and subprocess.run([python, "-c", "import torch"], capture_output=True).returncode == 0:
            return python
    return None


def pytorch(args, core, as_installed):
    python = torch_python()
    if python is None:
        return {}, "not run: no python3 here imports torch (Debian: python3-torch; or set TORCH_PYTHON)"
    cmd = [python, os.path.join(HERE, "pytorch_epochs.py"), "--threads", str(args.threads)]
    if args.quick:
        cmd += ["--warmup", "1", "--round", "0.3", "--repeats", "3"]
    if as_installed:
        cmd.append("--as-installed")
        env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OMP_WAIT_POLICY")}
    else:
        env = {**os.environ, **({"OPENBLAS_CORETYPE": core} if core else {})}
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    result, header = {}, {}
    for line in out.splitlines():
        row = json.loads(line)
        if "peer" in row:
            header = row
        else:
            result[row["workload"]] = row["epoch_seconds"]
    return result, (f"torch {header.get('torch')}, {header.get('threads')} threads, "
                    f"OPENBLAS_CORETYPE={header.get('openblas_coretype') or '(unset)'} (its Linear layers run on OpenBLAS), "
                    f"flush denormals {'on' if header.get('flush_denormal') else 'off'}, "
                    f"OMP_WAIT_POLICY={header.get('omp_wait_policy')}")


def gemm(java, args, core):
    counts = ",".join(str(t) for t in range(1, args.threads + 1))
    env = {"OPENBLAS_CORETYPE": core} if core else {}
    rows = jmh(java, args, ["^dev.neurite.bench.(Gemm|NetlibGemm)Benchmark.gemm$", "-p", "shape=" + ",".join(GEMM_SHAPES),
                            "-p", "threads=" + counts, "-p", "impl=native"], env)
    score = {}
    for r in rows:
        lib = "openblas" if "Netlib" in r["benchmark"] else "neurite"
        score[(lib, r["params"]["shape"], r["params"]["threads"])] = r["primaryMetric"]["score"]
    out = ["## SGEMM, GFLOP/s (M x N x K; :TN = op(A) = Aᵀ, :NT = op(B) = Bᵀ)", "",
           f"OpenBLAS through netlib JNI, OPENBLAS_CORETYPE={core or '(unset)'}.", "",
           "| shape | threads | Neurite | OpenBLAS | Neurite / OpenBLAS |", "|---|---|---|---|---|"]
    for shape in GEMM_SHAPES:
        m, n, k = (int(v) for v in shape.split(":")[0].split("x"))
        for t in counts.split(","):
            ne, ob = score.get(("neurite", shape, t)), score.get(("openblas", shape, t))
            if ne and ob:
                g = lambda us: 2.0 * m * n * k / us / 1e3
                out.append(f"| {shape} | {t} | {g(ne):.1f} | {g(ob):.1f} | {ob / ne:.2f}x |")
    return out + [""]


def jmh(java, args, selection, env):
    """Runs benchmarks.jar with `selection` (a regex and -p options); returns the JSON result rows."""
    timing = ["-f", "1", "-wi", "3", "-i", "3", "-w", "1", "-r", "1"] if args.quick else \
        ["-f", "1", "-wi", "5", "-i", "5", "-w", "2", "-r", "1"]
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        result = f.name
    cmd = [java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-jar", args.jar,
           *selection, *timing, "-rf", "json", "-rff", result]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env={**os.environ, **env})
    with open(result) as f:
        rows = json.load(f)
    os.unlink(result)
    return rows


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def isa():
    flags = cpu_flags()
    return "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"


def core_type():
    flags = cpu_flags()
    return "SkylakeX" if "avx512f" in flags else "Haswell" if "avx2" in flags else ""


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
        name = next(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name"))
        model = next(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model\t"))
        return f"{name}, model {model}"
    except (OSError, StopIteration):
        return platform.processor() or "unknown"


if __name__ == "__main__":
    sys.exit(main())
