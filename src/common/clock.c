/* Clocks; see clock.h. */
#include "clock.h"

#include <stdlib.h>
#include <time.h>

#include "num.h"
#include "xmalloc.h"

static int64_t skew;

void
clock_init(void)
{
	const char *s = getenv("TWAUTH_CLOCK_SKEW");

	if (s != NULL && *s != '\0' &&
	    num_parse_i64(s, -100LL * 365 * 86400, 100LL * 365 * 86400, &skew) == -1)
		fatal("TWAUTH_CLOCK_SKEW is not a number of seconds: %s", s);
}

void
clock_set_skew(int64_t s)
{
	skew = s;
}

int64_t
clock_now(void)
{
	return (int64_t)time(NULL) + skew;
}

int64_t
clock_now_ms(void)
{
	return (int64_t)clock_wall_ms() + skew * 1000;
}

uint64_t
clock_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t
clock_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
