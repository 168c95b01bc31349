#!/usr/bin/env bash
# make format-check: the layout rules of docs/STYLE.md that a machine can
# check, over every C file of the project.  .clang-format states the same
# rules for editors; clang-format itself cannot check the tree, since it
# lays out anew every statement it touches and its breaking rules are not
# the house's (four spaces of continuation where the author broke the
# line, tab-aligned declarations).  So this checks the rules that matter:
#   - lines of at most 96 characters (a tab counts as one);
#   - indentation by tabs; a continuation line adds exactly four spaces,
#     and a block comment's inner lines one space before the '*';
#   - no trailing white space, no carriage return, a newline at the end;
#   - /* */ comments only, no //;
#   - a function definition's return type on the line above its name, and
#     its opening brace alone on the line below.
# Prints FILE:LINE: RULE for each break of a rule; exits 1 if there is any.
# perl-base is part of every Debian, even a minimal one.
set -u
cd "$(dirname "$0")/.."
git ls-files -co --exclude-standard -z -- 'src/*.[ch]' 'tests/unit/*.[ch]' 'fuzz/*.[ch]' |
    xargs -0 perl -CSD -ne '
	sub bad { print "$ARGV:$.: $_[0]\n"; $bad = 1 }
	chomp(my $l = $_);
	bad("carriage return") if $l =~ /\r/;
	bad("trailing white space") if $l =~ /[ \t]$/;
	bad("over 96 characters (" . length($l) . ")") if length($l) > 96;
	my ($lead, $rest) = $l =~ /^([ \t]*)(.*)$/;
	if ($rest ne "" && $lead !~ /^\t*(    )?$/ && !($lead =~ /^\t* $/ && $rest =~ /^\*/)) {
		bad("indentation: tabs, then four spaces for a continuation");
	}
	(my $code = $l) =~ s/"(?:[^"\\]|\\.)*"/""/g;
	$code =~ s{/\*.*?\*/}{}g;
	bad("a // comment: use /* */") if !$in_comment && $code =~ m{//};
	$in_comment = 1 if $code =~ m{/\*} && $code !~ m{\*/};
	$in_comment = 0 if $in_comment && $code =~ m{\*/};
	# A definition: "name(" at the start of a line, a lone "{" after its parameters.
	if ($l =~ /^[a-z_][a-z_0-9]*\(/ && $prev_def_type eq "") {
		bad("a function definition: its return type goes on the line above");
	}
	$prev_def_type = "";
	if ($l =~ /^(?:static |extern )?(?:inline )?(?:const )?(?:struct |enum |unsigned )?[A-Za-z_][A-Za-z_0-9]*[ \t*]+[a-z_][a-z_0-9]*\(.*[^;,]$/ &&
	    $l !~ /^(?:return|else|typedef|#)/) {
		$pending = "$ARGV:$.";
	}
	if ($l =~ /^[A-Za-z_].*\)[ \t]*\{$/ && $l !~ /^(?:struct|enum|union|typedef|static const|const|#)/) {
		bad("a function definition: its opening brace goes on a line of its own");
	}
	if ($pending ne "" && $l =~ /^\{$/) {
		print "$pending: a function definition: its return type goes on the line above\n";
		$bad = 1;
	}
	$pending = "" if $l =~ /^\{$/ || $l =~ /;$/;
	$prev_def_type = $l =~ /^(?:static |extern )?(?:inline )?(?:const )?[A-Za-z_][A-Za-z_0-9 *]*$/ ? $l : "";
	if (eof) {
		bad("no newline at the end") if $_ !~ /\n$/;
		($pending, $prev_def_type, $in_comment) = ("", "", 0);
		close ARGV;
	}
	END { exit($bad ? 1 : 0) }
'
rc=$?
[ $rc -eq 0 ] || rc=1
[ $rc -eq 0 ] && echo "format-check: every C file keeps the layout rules"
exit $rc
