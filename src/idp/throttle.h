/*
 * Slowing down repeated failures (sign-in, /activate), in bounded
 * memory.  A throttle remembers failure counts for at most `slots` keys; when
 * full, it forgets the key seen least recently among the few it probes, so
 * memory never grows with the number of attackers.  After `free_failures`
 * failures for a key, each further attempt must wait 1, 2, 4 ... seconds (up
 * to max_delay) after the last failure.  Counts older than an hour reset.
 *
 * Per process: several servers on one database each keep their own counts,
 * which multiplies the allowance by the number of servers but never lets a
 * key through unthrottled.  Thread-safe.
 */
#ifndef IDP_THROTTLE_H
#define IDP_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

struct throttle;

struct throttle *throttle_new(size_t slots, unsigned free_failures, unsigned max_delay);
void throttle_free(struct throttle *t);
/*
 * Seconds (rounded up) the key must still wait before its next attempt; 0
 * if none.  Times are in milliseconds (clock_now_ms): counted in whole
 * seconds, a wait of one second could end a moment after it began.
 */
int64_t throttle_wait(struct throttle *t, const char *key, int64_t now_ms);
void throttle_fail(struct throttle *t, const char *key, int64_t now_ms);
void throttle_clear(struct throttle *t, const char *key);

#endif
