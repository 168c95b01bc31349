/*
 * What noting one fact costs (src/idp/audit.c), in nanoseconds, next to
 * what wrk measures per request: the same fact noted again (a token
 * validated over and over: the hot path) and distinct facts, on one thread
 * and on two at once.  bench/run.sh prints it.  The facts go to a
 * throwaway SQLite file, written once a second as a server's would be.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/idp/audit.h"

#define NOTES	2000000

static struct audit *audit;

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void *
note_same(void *arg)
{
	struct audit_fact f = { .kind = AUDIT_VALIDATED, .client_id =
	    "hof5gwx0su6owfnys0yan9c87zr6t0", .user_id = 141981764, .token_id = "9d084e75d62e",
	    .request_id = "xro17zej-1234" };

	(void)arg;
	for (int i = 0; i < NOTES; i++)
		audit_note(audit, &f);
	return NULL;
}

static double
run(int threads)
{
	pthread_t t[2];
	double start = now_ns();

	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, note_same, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	return (now_ns() - start) / ((double)NOTES * threads);
}

int
main(int argc, char **argv)
{
	struct store *st;
	char err[256];

	if (argc != 2) {
		fprintf(stderr, "usage: note-cost DB\n");
		return 2;
	}
	if ((st = store_open(argv[1], err, sizeof(err))) == NULL ||
	    (audit = audit_new(st)) == NULL) {
		fprintf(stderr, "note-cost: %s\n", err);
		return 1;
	}
	printf("audit_note, the same fact again: %.0f ns on one thread, %.0f ns per note on "
	    "two at once\n", run(1), run(2));
	audit_free(audit);
	store_close(st);
	return 0;
}
