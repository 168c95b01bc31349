/* Unit tests of svgfile: app audit --svg FILE, replaced whole, 0644. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../../src/cli/cli.h"
#include "../../src/idp/timeline.h"
#include "t.h"

/* Entries in dir besides . and .. */
static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d != NULL)
		closedir(d);
	return n;
}

static void
svgfile_writes_and_replaces(void)
{
	struct audit_report r;
	char path[512], *got, *want, *err;
	const char *dir = t_tmpdir();
	struct stat st;
	size_t len, want_len;
	FILE *f;

	memset(&r, 0, sizeof(r));
	snprintf(path, sizeof(path), "%s/audit.svg", dir);
	/* Something there already, of another mode: replaced, not appended to. */
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f != NULL) {
		fputs("old contents, longer than nothing at all", f);
		fclose(f);
	}
	chmod(path, 0600);
	CHECK(cli_write_svg(path, &r) == 0);
	want = timeline_svg(&r, TIMELINE_WIDTH_DEFAULT, &want_len);
	got = t_read_file(path, &len);
	CHECK(got != NULL && len == want_len && memcmp(got, want, len) == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
	CHECK(entries(dir) == 1);	/* no temporary file left */
	free(got);
	free(want);

	/* Where nothing can be written: the reason, and nothing left behind. */
	snprintf(path, sizeof(path), "%s/no/such/dir/audit.svg", dir);
	t_stderr_begin();
	CHECK(cli_write_svg(path, &r) == -1);
	err = t_stderr_end();
	CHECK(err != NULL && strstr(err, "--svg ") != NULL && strstr(err, "No such file") != NULL);
	free(err);
	snprintf(path, sizeof(path), "%s/", dir);
	t_stderr_begin();
	CHECK(cli_write_svg(path, &r) == -1);
	err = t_stderr_end();
	CHECK(err != NULL && strstr(err, "names a directory") != NULL);
	free(err);
	CHECK(entries(dir) == 1);
}

void
suite_svgfile(void)
{
	RUN(svgfile_writes_and_replaces);
}
