/*
 * Compiler attributes the code uses, spelled once.
 *
 * MUST_CHECK marks a function whose result says whether it worked (every
 * fallible store_* and idp_* function): ignoring it is a warning, and
 * under WERROR=1 an error.  GCC is not silenced by a (void) cast: where a
 * failure changes nothing for the caller, test the result anyway and say
 * why it is only logged.
 */
#ifndef COMMON_COMPILER_H
#define COMMON_COMPILER_H

#define MUST_CHECK	__attribute__((warn_unused_result))

#endif
