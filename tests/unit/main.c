/* Runs every unit-test suite; prints "unit: N passed, M failed". */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/common/clock.h"
#include "../../src/common/hash.h"
#include "../../src/common/log.h"
#include "t.h"

static int passed, failed, current_failed;
static char tmp_root[256];
static int tmp_count;
static int saved_stderr = -1, saved_stdout = -1;
static char stderr_path[320], stdout_path[320];

void
t_fail(const char *file, int line, const char *expr)
{
	printf("    %s:%d: CHECK(%s) failed\n", file, line, expr);
	current_failed = 1;
}

void
t_run(const char *name, void (*fn)(void))
{
	current_failed = 0;
	fn();
	if (current_failed) {
		failed++;
		printf("not ok - %s\n", name);
	} else {
		passed++;
		printf("ok - %s\n", name);
	}
}

const char *
t_tmpdir(void)
{
	static char path[300];

	snprintf(path, sizeof(path), "%s/%d", tmp_root, ++tmp_count);
	mkdir(path, 0700);
	return path;
}

char *
t_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	data = malloc((size_t)n + 1);
	if (data != NULL && fread(data, 1, (size_t)n, f) != (size_t)n) {
		free(data);
		data = NULL;
	}
	fclose(f);
	if (data != NULL) {
		data[n] = '\0';
		if (len != NULL)
			*len = (size_t)n;
	}
	return data;
}

/* fd into a new file at path (its old self kept in *saved), for capture_end. */
static void
capture_begin(int fd, FILE *f, int *saved, char *path, size_t len, const char *name)
{
	int file;

	snprintf(path, len, "%s/%s", t_tmpdir(), name);
	fflush(f);
	*saved = dup(fd);
	if ((file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    dup2(file, fd) == -1) {
		printf("    cannot capture %s\n", name);
		exit(1);
	}
	close(file);
}

/* fd back as it was; what was written to it meanwhile. */
static char *
capture_end(int fd, FILE *f, int *saved, const char *path)
{
	fflush(f);
	dup2(*saved, fd);
	close(*saved);
	*saved = -1;
	return t_read_file(path, NULL);
}

void
t_stderr_begin(void)
{
	capture_begin(2, stderr, &saved_stderr, stderr_path, sizeof(stderr_path), "stderr");
}

char *
t_stderr_end(void)
{
	return capture_end(2, stderr, &saved_stderr, stderr_path);
}

void
t_stdout_begin(void)
{
	capture_begin(1, stdout, &saved_stdout, stdout_path, sizeof(stdout_path), "stdout");
}

char *
t_stdout_end(void)
{
	return capture_end(1, stdout, &saved_stdout, stdout_path);
}

int
t_pg(void)
{
	const char *d = getenv("TWAUTH_TEST_PG_DIR");

	return d != NULL && *d != '\0';
}

const char *
t_db_spec(void)
{
	static char spec[512];
	static int n;
	char cmd[600];
	FILE *f;

	if (!t_pg()) {
		snprintf(spec, sizeof(spec), "%s/t.db", t_tmpdir());
		return spec;
	}
	snprintf(cmd, sizeof(cmd), "tests/pg.sh createdb '%s' u%d_%d", getenv("TWAUTH_TEST_PG_DIR"),
	    (int)getpid(), ++n);
	spec[0] = '\0';
	if ((f = popen(cmd, "r")) != NULL) {
		if (fgets(spec, sizeof(spec), f) == NULL)
			spec[0] = '\0';
		pclose(f);
	}
	spec[strcspn(spec, "\n")] = '\0';
	return spec;
}

#define T_ENTRY(name) suite_##name,
static void (*const suites[])(void) = { T_SUITES(T_ENTRY) };

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	char cmd[300];

	/* Under TMPDIR: tests/run.sh gives each run its own, removed after. */
	snprintf(tmp_root, sizeof(tmp_root), "%s/twauth-unit-XXXXXX",
	    tmp != NULL && *tmp == '/' && strlen(tmp) < 200 ? tmp : "/tmp");
	if (mkdtemp(tmp_root) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	clock_init();
	hash_init();
	log_set_level(LOG__MAX);	/* expected errors stay quiet */
	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		suites[i]();
	hash_cleanup();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp_root);
	if (system(cmd) != 0)
		printf("warning: could not remove %s\n", tmp_root);
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
