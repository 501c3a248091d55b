#!/usr/bin/env bash
# Starts a standalone Spark cluster on this machine (a master and two one-core workers, plain JVMs
# from the jars Maven fetched, bound to 127.0.0.1), trains on it with the given neurite train flags,
# trains the same on local[2], and says whether the two models are identical. Stops the JVMs it started.
#   spark/standalone.sh --dataset fashion-mnist --epochs 1 --sync-steps 100
exec "$(dirname "$0")/run-class.sh" dev.neurite.spark.LocalCluster --workers 2 -- "$@"
