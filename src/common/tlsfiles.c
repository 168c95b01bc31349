/* Server certificate and key files; see tlsfiles.h. */
#include "tlsfiles.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "limits.h"
#include "str.h"
#include "xmalloc.h"

/* The whole file, NUL-terminated, or NULL with the reason in err. */
static char *
read_small(const char *path, const char *what, char *err, size_t err_len)
{
	char *data = NULL;
	struct stat sb;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd == -1) {
		str_errf(err, err_len, "cannot open the %s %s: %s", what, path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) || sb.st_size > TW_MAX_PEM) {
		str_errf(err, err_len, "the %s %s is not a PEM file of at most %d bytes", what,
		    path, TW_MAX_PEM);
		goto out;
	}
	data = xmalloc((size_t)sb.st_size + 1);
	n = read(fd, data, (size_t)sb.st_size);
	if (n != sb.st_size) {
		str_errf(err, err_len, "cannot read the %s %s", what, path);
		xfree_secret(data, (size_t)sb.st_size + 1);
		data = NULL;
		goto out;
	}
	data[n] = '\0';
out:
	close(fd);
	return data;
}

static X509 *
parse_cert(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	return x;
}

static EVP_PKEY *
parse_key(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	char none[] = "";
	/* An empty passphrase: an encrypted key fails instead of prompting. */
	EVP_PKEY *pk = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, none) : NULL;

	BIO_free(bio);
	return pk;
}

int
tls_load_pair(const char *cert_path, const char *key_path, char **cert, char **key,
    char *err, size_t err_len)
{
	X509 *x = NULL;
	EVP_PKEY *pk = NULL;
	int rc = -1;

	*cert = *key = NULL;
	if ((*cert = read_small(cert_path, "certificate", err, err_len)) == NULL ||
	    (*key = read_small(key_path, "private key", err, err_len)) == NULL)
		goto out;
	if ((x = parse_cert(*cert)) == NULL) {
		str_errf(err, err_len, "%s holds no PEM certificate", cert_path);
		goto out;
	}
	if ((pk = parse_key(*key)) == NULL) {
		str_errf(err, err_len, "%s holds no unencrypted PEM private key", key_path);
		goto out;
	}
	if (X509_check_private_key(x, pk) != 1) {
		str_errf(err, err_len, "the key in %s is not the key of the certificate in %s",
		    key_path, cert_path);
		goto out;
	}
	rc = 0;
out:
	X509_free(x);
	EVP_PKEY_free(pk);
	if (rc == -1) {
		free(*cert);
		if (*key != NULL)
			xfree_secret(*key, strlen(*key));
		*cert = *key = NULL;
	}
	return rc;
}
