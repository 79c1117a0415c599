# Sourced by the project's scripts: exports JAVA_HOME pointing at a JDK >= 21.
# Order: JAVA_HOME if it is >= 21, else the newest JDK under /usr/lib/jvm.
openmmsc_java_major() {
  local java="$1/bin/java" line
  [ -x "$java" ] || return 1
  line=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)
  [ -n "$line" ] || return 1
  echo "${line#1.}"
}

openmmsc_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && major=$(openmmsc_java_major "$JAVA_HOME") && [ "$major" -ge 21 ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    return 0
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -d "$candidate" ] && [ ! -L "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(openmmsc_java_major "$candidate") || continue
    if [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
  done
  if [ -z "$best" ] || [ "$best_major" -lt 21 ]; then
    echo "openmmsc: no JDK >= 21 found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable under /usr/lib/jvm)." >&2
    echo "openmmsc: install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

openmmsc_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
