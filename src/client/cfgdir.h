/*
 * Where the client keeps its files: $XDG_CONFIG_HOME/twauth (else
 * ~/.config/twauth), the directory 0700 and every file 0600.  Files are JSON
 * objects, replaced atomically (a temporary file, fsync, rename), and every
 * read-modify-write holds an exclusive lock, so two `twauth token --get`
 * racing to refresh cannot both spend one single-use refresh token.
 */
#ifndef CLIENT_CFGDIR_H
#define CLIENT_CFGDIR_H

#include <jansson.h>
#include <stddef.h>

#include "../common/compiler.h"

/* The directory's path into out (made 0700 if missing).  0, or -1 with err. */
int cfgdir_path(char *out, size_t len, char *err, size_t err_len) MUST_CHECK;
/* Takes the directory's lock (blocks); returns a descriptor or -1 with err. */
int cfgdir_lock(char *err, size_t err_len) MUST_CHECK;
void cfgdir_unlock(int fd);
/*
 * Reads file name of the directory as a JSON object; a missing file is an
 * empty object.  0, or -1 with err (unreadable, not JSON, larger than
 * TW_CLIENT_MAX_FILE: then it is not ours).
 */
int cfgdir_read(const char *name, json_t **out, char *err, size_t err_len) MUST_CHECK;
/* Replaces file name with obj (0600, atomic).  0, or -1 with err. */
int cfgdir_write(const char *name, json_t *obj, char *err, size_t err_len) MUST_CHECK;

#endif
