#!/usr/bin/env bash
# The scaling benchmark: mlp-large (784-512-512-10, Adam, batch 128 a task) single-process vs Spark
# local[2] vs a standalone cluster of two workers, averaging every K in {1, 10, 100, epoch} steps;
# prints one Markdown table. Flags go to ScalingBenchmark: --epochs N (default 3), --data DIR,
# --dataset fashion-mnist, --ks 1,10,100,epoch, --no-cluster.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export SPARK_LOCAL_IP=127.0.0.1
(cd "$repo" && ./mvnw -q -B -DskipTests package -pl spark -am) >&2
app=$(ls "$repo"/spark/target/neurite-spark-*-app.jar | head -n 1)
# shellcheck disable=SC2046
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  $(cat "$repo/spark/target/classes/dev/neurite/spark/jvm-flags.txt") \
  -cp "$app:$(cat "$repo/spark/target/spark-classpath.txt")" dev.neurite.spark.ScalingBenchmark \
  --jars "$repo/spark/target/spark-classpath.txt" "$@"
