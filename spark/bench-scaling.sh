#!/usr/bin/env bash
# The scaling benchmark: mlp-large (784-512-512-10, Adam, batch 128 a task) single-process vs Spark
# local[2] vs a standalone cluster of two workers, averaging every K in {1, 10, 100, epoch} steps;
# prints one Markdown table. Flags: --epochs N (default 3), --data DIR, --dataset fashion-mnist,
# --ks 1,10,100,epoch, --no-cluster.
exec "$(dirname "$0")/run-class.sh" dev.neurite.spark.ScalingBenchmark "$@"
