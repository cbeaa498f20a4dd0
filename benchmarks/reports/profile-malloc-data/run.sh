#!/usr/bin/env bash
# usage: run.sh TAG VARIANT BENCH ENGINE FORKS [extra env assignments...]
set -u
tag=$1 variant=$2 bench=$3 engine=$4 forks=$5; shift 5
jar=/work/main/benchmarks/target/benchmarks.jar
perf stat -a -I 1000 -x, -e page-faults,context-switches,cpu-migrations,major-faults -o perf-$tag.csv &
pp=$!
env "$@" java -jar $jar $bench -p variant=$variant -p engine=$engine -f $forks -wi 5 -w 2 -i 4 -r 2 \
  -jvmArgsAppend "-Xmn64m" -rf json -rff jmh-$tag.json 2>&1 | while IFS= read -r l; do printf '%s %s\n' "$(date +%s.%N | cut -c1-14)" "$l"; done > log-$tag.txt
kill -INT $pp; wait $pp 2>/dev/null
