/*
 * Callgrind's client requests for the counting mode (org.fmnistbench.bench.count.Callgrind).
 * A client request is a magic instruction sequence that Valgrind recognises and native code
 * does nothing with, so Java needs this small JNI library to issue one at the exact boundary
 * of the counted steps. Compiled on first use by Callgrind.java with the system's C compiler
 * against Debian's valgrind headers (valgrind.h and callgrind.h are BSD-style licensed and
 * meant to be included by client programs).
 */
#include <jni.h>
#include <malloc.h>
#include <valgrind/valgrind.h>
#include <valgrind/callgrind.h>

JNIEXPORT jboolean JNICALL Java_org_fmnistbench_bench_count_Callgrind_underValgrind(JNIEnv *env, jclass cls) {
  return RUNNING_ON_VALGRIND ? JNI_TRUE : JNI_FALSE;
}

/* Instrumentation on (Valgrind drops its translations and re-instruments from here), totals zeroed. */
JNIEXPORT void JNICALL Java_org_fmnistbench_bench_count_Callgrind_startInstrumentation(JNIEnv *env, jclass cls) {
  CALLGRIND_START_INSTRUMENTATION;
  CALLGRIND_ZERO_STATS;
}

/* Flips collection for the calling thread only: with --collect-atstart=no, only this thread counts. */
JNIEXPORT void JNICALL Java_org_fmnistbench_bench_count_Callgrind_toggleCollect(JNIEnv *env, jclass cls) {
  CALLGRIND_TOGGLE_COLLECT;
}

/* Writes what was collected since the last dump to a file of its own, named by the label, and zeroes it. */
JNIEXPORT void JNICALL Java_org_fmnistbench_bench_count_Callgrind_dump(JNIEnv *env, jclass cls, jstring label) {
  const char *text = (*env)->GetStringUTFChars(env, label, NULL);
  if (text == NULL) {
    return;
  }
  CALLGRIND_DUMP_STATS_AT(text);
  (*env)->ReleaseStringUTFChars(env, label, text);
}

JNIEXPORT void JNICALL Java_org_fmnistbench_bench_count_Callgrind_stopInstrumentation(JNIEnv *env, jclass cls) {
  CALLGRIND_STOP_INSTRUMENTATION;
}

/* Consolidates glibc's free lists now, uncounted, rather than in whichever counted step next asks for a large block. */
JNIEXPORT void JNICALL Java_org_fmnistbench_bench_count_Callgrind_trimMalloc(JNIEnv *env, jclass cls) {
  malloc_trim(0);
}
