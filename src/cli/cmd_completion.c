/*
 * twauth completion: prints the completion script for bash or zsh; and,
 * for those scripts, "twauth completion --words WORD..." prints what
 * completes the last of the words, one candidate a line.
 *
 * Why the scripts ask twauth at each TAB instead of carrying every command
 * and option themselves: the options are the rows of each command's table
 * (opt.h), and some commands choose their rows their own way ("token list"
 * by its first word, serve's in serve_opts.c).  The words go down the same
 * path a real run takes, to the same opt_read with the same rows and the
 * same subcommand, which prints the candidates instead of reading options
 * (opt_complete).  So what is offered is what this binary accepts, .only
 * rows and OPT_CHOICE values included; a new row is offered with no other
 * change; an installed script never goes stale after an upgrade; and
 * nothing here lists a command or an option.  The price is one short
 * process per TAB, which opens no file and no database: every command reads
 * its options before anything else, and opt_read ends the run there.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/xmalloc.h"
#include "cli.h"

enum completion_sub { COMPLETION_BASH, COMPLETION_ZSH };

struct completion_opts {
	int	help;
};

static int completion_run(const struct cli_cmd *c, void *opts, const struct cli_args *a);

static const struct opt completion_options[] = {
	CLI_ROW_HELP(struct completion_opts, help),
	{ .name = NULL }
};

static const struct cli_cmd completion_cmd = {
	.name = "completion",
	.subs = (const struct cli_sub[]){
		[COMPLETION_BASH] = { "bash", 0, NULL },
		[COMPLETION_ZSH] = { "zsh", 0, NULL },
		{ NULL }
	},
	.rows = completion_options,
	.size = sizeof(struct completion_opts),
	.run = completion_run,
	.head = "Usage: twauth completion bash|zsh\n"
	    "\n"
	    "Prints the shell's completion script for twauth: TAB then completes\n"
	    "commands, subcommands, options and the values an option takes.\n"
	    "\n"
	    "bash, in this shell (or put the line in ~/.bashrc):\n"
	    "  source <(twauth completion bash)\n"
	    "bash, for good (the bash-completion package loads it when needed):\n"
	    "  twauth completion bash > /usr/share/bash-completion/completions/twauth\n"
	    "  (yours only: ~/.local/share/bash-completion/completions/twauth)\n"
	    "\n"
	    "zsh, in this shell (or in ~/.zshrc, after compinit):\n"
	    "  source <(twauth completion zsh)\n"
	    "zsh, for good: save it as _twauth in a directory of $fpath, then start a\n"
	    "new shell:\n"
	    "  twauth completion zsh > /usr/local/share/zsh/site-functions/_twauth\n"
	    "\n"
	    "'make install' puts both in place.\n"
	    "\n"
	    "Options:\n",
	.tail = "\n"
	    "The scripts ask twauth what completes a word ('twauth completion --words\n"
	    "WORD...' prints one candidate a line), so they offer what the twauth you\n"
	    "run accepts, and need no update when it changes.\n",
};

/* Each calls back with the words up to the one being completed, that one last. */
static const char bash_script[] =
    "# bash completion for twauth (made by 'twauth completion bash').\n"
    "#   now:      source <(twauth completion bash)\n"
    "#   for good: twauth completion bash > "
    "/usr/share/bash-completion/completions/twauth\n"
    "# At each TAB it asks twauth itself what completes the word.\n"
    "_twauth() {\n"
    "\tlocal tw=${COMP_WORDS[0]} line\n"
    "\t[[ $tw == \"~/\"* ]] && tw=$HOME/${tw#\"~/\"}\n"
    "\tCOMPREPLY=()\n"
    "\twhile IFS= read -r line; do\n"
    "\t\tCOMPREPLY+=(\"$line\")\n"
    "\tdone < <(\"$tw\" completion --words -- \"${COMP_WORDS[@]:0:COMP_CWORD+1}\" "
    "2>/dev/null)\n"
    "}\n"
    "# Nothing offered (a file, a URL): bash's own completion of file names.\n"
    "complete -o default -F _twauth twauth\n";

static const char zsh_script[] =
    "#compdef twauth\n"
    "# zsh completion for twauth (made by 'twauth completion zsh').\n"
    "#   now:      source <(twauth completion zsh)    (after compinit)\n"
    "#   for good: save it as _twauth in a directory of $fpath\n"
    "# At each TAB it asks twauth itself what completes the word.\n"
    "_twauth() {\n"
    "\tlocal tw=${words[1]/#\\~/$HOME}\n"
    "\tlocal -a offers\n"
    "\toffers=(${(f)\"$(\"$tw\" completion --words -- \"${(@)words[1,CURRENT-1]}\" "
    "\"$PREFIX\" 2>/dev/null)\"})\n"
    "\tif (( $#offers )); then\n"
    "\t\tcompadd -- \"${offers[@]}\"\n"
    "\telse\n"
    "\t\t_files\n"
    "\tfi\n"
    "}\n"
    "if [[ $funcstack[1] == _twauth ]]; then\n"
    "\t_twauth \"$@\"\n"
    "else\n"
    "\tcompdef _twauth twauth\n"
    "fi\n";

static int
completion_run(const struct cli_cmd *c, void *opts, const struct cli_args *a)
{
	(void)c;
	(void)opts;
	fputs(a->sub == COMPLETION_BASH ? bash_script : zsh_script, stdout);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* main's own words beside the commands'. */
static const char *const main_words[] = { "help", "version", NULL };

/*
 * Prints what completes word after the words argv[0..argc) that follow
 * "twauth": a command's name first (also after "help"), else whatever the
 * command's own reading of argv offers.
 */
static void
offer(int argc, char **argv, const char *word)
{
	opt_complete(word);
	if (argc == 0 || (argc == 1 && strcmp(argv[0], "help") == 0)) {
		for (const struct cli_command *c = cli_commands; c->name != NULL; c++)
			opt_offer(c->name, strlen(c->name));
		for (size_t i = 0; argc == 0 && main_words[i] != NULL; i++)
			opt_offer(main_words[i], strlen(main_words[i]));
		return;
	}
	for (const struct cli_command *c = cli_commands; c->name != NULL; c++)
		if (strcmp(argv[0], c->name) == 0) {
			/* Its status is a refusal's: opt_read stopped it (opt.h). */
			cli_command_run(c, argc, argv);
			return;
		}
}

/*
 * twauth completion --words [--] WORD...: the words of the command line up
 * to the cursor, "twauth" first and the word being completed (maybe "")
 * last.  bash splits "--name=value" at '=' ("--name" "=" "value"); the
 * words are put together again, and "=" or a value after it is completed
 * as the value of the option before it.
 */
static int
complete_words(int n, char **w)
{
	const char *word;
	char **argv;
	int argc = 0, fd;
	size_t len;

	if (n > 0 && strcmp(w[0], "--") == 0) {
		w++;
		n--;
	}
	if (n < 2) {
		cli_error("--words wants the command line's words, the one to complete last");
		return EXIT_USAGE;
	}
	/* What a command says while it is completed is not for the terminal. */
	if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) != -1) {
		dup2(fd, 2);
		close(fd);
	}
	argv = xcalloc((size_t)n, sizeof(*argv));
	for (int i = 1; i < n - 1; i++) {
		if (strcmp(w[i], "=") == 0 && argc > 0 && strncmp(argv[argc - 1], "--", 2) == 0) {
			if (i + 1 < n - 1) {
				len = strlen(argv[argc - 1]) + strlen(w[i + 1]) + 2;
				argv[argc - 1] = xrealloc(argv[argc - 1], len);
				snprintf(argv[argc - 1] + strlen(argv[argc - 1]),
				    len - strlen(argv[argc - 1]), "=%s", w[++i]);
			}
			continue;
		}
		argv[argc++] = xstrdup(w[i]);
	}
	word = w[n - 1];
	if (strcmp(word, "=") == 0 && argc > 0 && strncmp(argv[argc - 1], "--", 2) == 0)
		word = "";
	offer(argc, argv, word);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

int
cmd_completion(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--words") == 0)
		return complete_words(argc - 2, argv + 2);
	return cli_run(&completion_cmd, argc, argv);
}
