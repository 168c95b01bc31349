/*
 * A server certificate and its private key from PEM files, checked before
 * the server starts so that a mistake gets a sentence, not a handshake
 * failure: the files exist and are not too large (TW_MAX_PEM: larger files
 * are not certificates of ours), the certificate (the first of the chain)
 * parses, the key parses, unencrypted, and the two belong together.
 */
#ifndef TLSFILES_H
#define TLSFILES_H

#include <stddef.h>

/*
 * Reads both files into *cert and *key (malloc'd, NUL-terminated; free the
 * key with xfree_secret).  0, or -1 with a one-line reason in err.
 */
int tls_load_pair(const char *cert_path, const char *key_path, char **cert, char **key,
    char *err, size_t err_len);

#endif
