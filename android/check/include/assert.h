/* The two C headers ring's C code needs beyond clang's own (stddef.h,
 * stdint.h), for `cargo check --target aarch64-linux-android` without the
 * NDK's sysroot (android/check/android-check.sh). Declarations only: the
 * objects are compiled, never linked here. */
#ifndef SPSE_CHECK_ASSERT_H
#define SPSE_CHECK_ASSERT_H
#define assert(expression) ((void)0)
#endif
