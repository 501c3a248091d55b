#!/bin/sh
# Prints the home of a JDK of at least the given feature version (default 25), for mvnw and the
# neurite launcher: $JAVA_HOME when it is new enough, else the java on the PATH when it is, else
# the oldest new-enough JDK in the usual install folders. Prints nothing, and exits 1, if none is.
need=${1:-25}

# The feature version of the JDK at $1 (25 for "25.0.1", 8 for "1.8.0_412"), from its release file.
feature() {
  [ -r "$1/release" ] && [ -x "$1/bin/java" ] || return 1
  v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9.]*\).*/\1/p' "$1/release")
  case "$v" in
    1.*) v=${v#1.} ;;
  esac
  v=${v%%.*}
  [ -n "$v" ] && printf %s "$v"
}

fits() {
  f=$(feature "$1") && [ "$f" -ge "$need" ]
}

if [ -n "${JAVA_HOME-}" ] && fits "$JAVA_HOME"; then
  printf %s\\n "$JAVA_HOME"
  exit 0
fi
if java=$(command -v java 2>/dev/null) && [ -n "$java" ]; then
  home=$(cd "$(dirname "$(readlink -f "$java" 2>/dev/null || printf %s "$java")")/.." 2>/dev/null && pwd)
  if [ -n "$home" ] && fits "$home"; then
    printf %s\\n "$home"
    exit 0
  fi
fi
best=
best_feature=
for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
  "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home \
  "$HOME"/Library/Java/JavaVirtualMachines/*/Contents/Home; do
  [ -d "$home" ] && [ ! -L "$home" ] || continue
  f=$(feature "$home") || continue
  if [ "$f" -ge "$need" ] && { [ -z "$best" ] || [ "$f" -lt "$best_feature" ]; }; then
    best=$home
    best_feature=$f
  fi
done
[ -n "$best" ] || exit 1
printf %s\\n "$best"
