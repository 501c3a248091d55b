#!/usr/bin/env bash
# Builds the spark module if needed and runs one of its main classes in a JVM with Neurite's and
# Spark's flags, the application jar and Spark's jars: spark/run-class.sh CLASS [ARGS...]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export SPARK_LOCAL_IP=127.0.0.1
(cd "$repo" && ./mvnw -q -B -DskipTests package -pl spark -am) >&2
app=$(ls "$repo"/spark/target/neurite-spark-*-app.jar | head -n 1)
main=$1
shift
# shellcheck disable=SC2046
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  $(cat "$repo/spark/target/classes/dev/neurite/spark/jvm-flags.txt") \
  -cp "$app:$(cat "$repo/spark/target/spark-classpath.txt")" "$main" \
  --jars "$repo/spark/target/spark-classpath.txt" "$@"
