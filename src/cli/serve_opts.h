/*
 * twauth serve's options: the one table of them (serve_options), read by
 * the command line, the config file, the TWAUTH_* variables, --help and
 * --check-config alike, and the struct it fills.
 */
#ifndef CLI_SERVE_OPTS_H
#define CLI_SERVE_OPTS_H

#include <stdio.h>

#include "../http/server.h"
#include "../idp/idp.h"
#include "opt.h"

/* Everything serve's options say; the defaults from serve_opts_defaults. */
struct serve_opts {
	struct server_config	 scfg;
	struct idp_config	 icfg;
	const char		*db;		/* NULL: cli_db_path's default */
	const char		*cert_path;
	const char		*key_path;
	const char		*config;	/* read by optsource_build */
	unsigned		 purge_interval;
	const char		*chaos_rate;		/* --chaos-rate as given */
	unsigned		 chaos_rate_units;	/* ... in units of 1/TW_CHAOS_ONE */
	const char		*chaos_token_errors;	/* into icfg.chaos_token_errors */
	unsigned		 db_timeout;	/* seconds */
	int			 durability;	/* enum serve_durability */
	struct store_config	 stcfg;		/* from the two above */
	int			 log_format;	/* enum log_format */
	struct opt_list		 proxies;	/* canonical addresses */
	int			 check_only;
	int			 help;
	struct optsource	 src;		/* the arguments the strings above point into */
};

/* --durability's values. */
enum serve_durability { DURABILITY_FULL, DURABILITY_RELAXED };

/* --help prints the rows a group at a time, each under its own heading. */
enum serve_group { SERVE_MAIN, SERVE_LIMITS, SERVE_CHAOS, SERVE_RUN, SERVE_GROUP__MAX };

/* The table, ended by a row whose name is NULL. */
extern const struct opt serve_options[];

void serve_opts_defaults(struct serve_opts *o);
/*
 * Defaults, then the options of argv (argv[0] "serve"), the environment
 * and the config file into *o.  0, or -1 with the reason printed; free
 * *o with serve_opts_free either way.
 */
int serve_opts_parse(int argc, char **argv, struct serve_opts *o)
    __attribute__((warn_unused_result));
/* twauth serve --help. */
void serve_opts_usage(FILE *f);
/* --check-config's report: what the server would run with (no secrets). */
void serve_opts_report(FILE *f, const struct serve_opts *o);
void serve_opts_free(struct serve_opts *o);

#endif
