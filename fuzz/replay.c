/*
 * Runs a fuzz target over files without libFuzzer: each argument is a file
 * or a directory of files, fed to LLVMFuzzerTestOneInput one by one.  `make
 * test` builds every target with this and replays fuzz/corpus/TARGET and
 * fuzz/regress/TARGET (inputs that once broke a promise), so they run on
 * every build, sanitizers included.  Prints "replayed N inputs".
 */
#include <dirent.h>
#include <sys/stat.h>

#include "fuzz.h"

static size_t replayed;

static void
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		exit(1);
	}
	if ((data = malloc((size_t)n + 1)) == NULL ||
	    fread(data, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	LLVMFuzzerTestOneInput(data, (size_t)n);
	free(data);
	replayed++;
}

static void
replay(const char *path)
{
	struct stat sb;
	struct dirent *e;
	DIR *d;
	char child[4096];

	if (stat(path, &sb) == -1)
		return;		/* no regressions for this target yet */
	if (!S_ISDIR(sb.st_mode)) {
		replay_file(path);
		return;
	}
	if ((d = opendir(path)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		replay(child);
	}
	closedir(d);
}

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		replay(argv[i]);
	printf("replayed %zu inputs\n", replayed);
	return 0;
}
