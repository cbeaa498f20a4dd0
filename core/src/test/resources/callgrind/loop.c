/* Fixture for CallgrindProfileTest: a known hot function called from main. */
#include <stdio.h>
__attribute__((noinline)) long loop(long n) {
  volatile long s = 0;
  for (long i = 0; i < n; i++) {
    s += i;
  }
  return s;
}
int main(void) {
  printf("%ld\n", loop(100000));
  return 0;
}
