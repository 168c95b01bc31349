/*
 * Time.  clock_now() is wall-clock seconds for expiry arithmetic;
 * clock_mono_us() is monotonic microseconds for durations.  Tests can shift
 * the wall clock of a server with TWAUTH_CLOCK_SKEW (seconds, may be
 * negative) to cross long lifetimes without waiting; it is read once.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

void clock_init(void);
/* Shifts the wall clock by skew seconds (unit tests). */
void clock_set_skew(int64_t skew);
int64_t clock_now(void);
/* clock_now() in milliseconds: for waits of a few seconds (throttles). */
int64_t clock_now_ms(void);
uint64_t clock_mono_us(void);
/* Wall-clock milliseconds since the epoch, unskewed (for ordering only). */
uint64_t clock_wall_ms(void);

#endif
