/*
 * Compiler attributes the code uses, spelled once.
 *
 * MUST_CHECK marks a function whose result says whether it worked (every
 * fallible store_* and idp_* function): ignoring it is a warning, and
 * under WERROR=1 an error.  Where a result is deliberately ignored, say
 * why and cast it to (void).
 */
#ifndef COMMON_COMPILER_H
#define COMMON_COMPILER_H

#define MUST_CHECK	__attribute__((warn_unused_result))

#endif
