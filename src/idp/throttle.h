/*
 * Slowing down repeated failures (sign-in, client authentication,
 * /activate), in bounded memory.  A throttle remembers failure counts for
 * at most `slots` keys.  After `free_failures` failures for a key, each
 * further attempt must wait 1, 2, 4 ... seconds (up to max_delay) after
 * the last failure.  Counts older than an hour reset.
 *
 * Keys are attacker-chosen, so where a key lives comes from a keyed hash
 * with a random per-process key: nobody can compute offline which keys
 * share slots.  A key under penalty is never forgotten to make room for
 * another; when a key's slots are all under penalty, that key is refused
 * (it waits as long as the longest of them) rather than counted nowhere.
 *
 * Per process: several servers on one database each keep their own counts,
 * which multiplies the allowance by the number of servers but never lets a
 * key through unthrottled.  Thread-safe.
 */
#ifndef IDP_THROTTLE_H
#define IDP_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

#include "../common/hash.h"

struct throttle;

struct throttle *throttle_new(size_t slots, unsigned free_failures, unsigned max_delay);
/* For tests: the hash key given, so that colliding keys can be made. */
struct throttle *throttle_new_keyed(size_t slots, unsigned free_failures, unsigned max_delay,
    const uint8_t key[HASH_LEN]);
void throttle_free(struct throttle *t);
/*
 * Seconds (rounded up) the key must still wait before its next attempt; 0
 * if none.  Times are in milliseconds (clock_now_ms): counted in whole
 * seconds, a wait of one second could end a moment after it began.
 */
int64_t throttle_wait(struct throttle *t, const char *key, int64_t now_ms);
void throttle_fail(struct throttle *t, const char *key, int64_t now_ms);
/*
 * For a slow check (a password): the wait as throttle_wait, and when there
 * is none, a failure counted at once, in the same step, so that attempts
 * made at the same moment cannot all pass before any is counted.  A check
 * that then succeeds gives it back with throttle_release (or clears the
 * key with throttle_clear).
 */
int64_t throttle_reserve(struct throttle *t, const char *key, int64_t now_ms);
void throttle_release(struct throttle *t, const char *key);
void throttle_clear(struct throttle *t, const char *key);
/* The slot a key lives in first (tests: to make keys that share slots). */
size_t throttle_slot_of(const struct throttle *t, const char *key);

#endif
