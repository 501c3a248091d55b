#!/usr/bin/env bash
# Starts a standalone Spark cluster on this machine (a master and two one-core workers, plain JVMs
# from the jars Maven fetched, bound to 127.0.0.1), trains on it with the given neurite train flags,
# trains the same on local[2], and says whether the two models are identical. Stops the JVMs it started.
#   spark/standalone.sh --dataset fashion-mnist --epochs 1 --sync-steps 100
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export SPARK_LOCAL_IP=127.0.0.1
(cd "$repo" && ./mvnw -q -B -DskipTests package -pl spark -am) >&2
app=$(ls "$repo"/spark/target/neurite-spark-*-app.jar | head -n 1)
# shellcheck disable=SC2046
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  $(cat "$repo/spark/target/classes/dev/neurite/spark/jvm-flags.txt") \
  -cp "$app:$(cat "$repo/spark/target/spark-classpath.txt")" dev.neurite.spark.LocalCluster \
  --jars "$repo/spark/target/spark-classpath.txt" --workers 2 -- "$@"
