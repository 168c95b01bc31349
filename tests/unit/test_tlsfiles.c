/*
 * Unit tests of tlsfiles: a certificate and key made here with OpenSSL
 * (P-256, quick to make) in a temporary directory are read back whole; a
 * key of another pair, an encrypted key, files swapped, a chain with the
 * leaf not first, empty, missing, too large or not regular files are
 * each refused with their sentence, and nothing is handed back.
 */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/common/limits.h"
#include "../../src/common/tlsfiles.h"
#include "../../src/common/xmalloc.h"
#include "t.h"

/* A certificate for key, named cn, signed by signer (itself when the same). */
static X509 *
make_cert(EVP_PKEY *key, EVP_PKEY *signer, const char *cn)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_get_subject_name(x);

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, name);
	if (X509_sign(x, signer, EVP_sha256()) == 0)
		CHECK(!"X509_sign");
	return x;
}

/* dir/name made of the certificates (NULL-ended) or the key; its path in path. */
static void
write_pem(char *path, size_t len, const char *dir, const char *name, X509 *const *certs,
    EVP_PKEY *key, const char *passphrase)
{
	FILE *f;

	snprintf(path, len, "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		CHECK(!"cannot write a PEM file");
		return;
	}
	for (; certs != NULL && *certs != NULL; certs++)
		CHECK(PEM_write_X509(f, *certs) == 1);
	if (key != NULL)
		CHECK(PEM_write_PrivateKey(f, key, passphrase ? EVP_aes_128_cbc() : NULL,
		    (unsigned char *)passphrase, passphrase ? (int)strlen(passphrase) : 0, NULL,
		    NULL) == 1);
	fclose(f);
}

/* tls_load_pair that must fail saying says; nothing may be handed back. */
static void
refused(const char *cert_path, const char *key_path, const char *says)
{
	char *cert = (char *)"x", *key = (char *)"x", err[512] = "";

	CHECK(tls_load_pair(cert_path, key_path, &cert, &key, err, sizeof(err)) == -1);
	CHECK(cert == NULL && key == NULL);
	if (strstr(err, says) == NULL) {
		printf("    wanted \"%s\", got \"%s\"\n", says, err);
		CHECK(!"the reason given");
	}
}

struct pair {
	char		 dir[300];
	char		 cert[400], key[400], chain[400], ca_first[400];
	char		 other_key[400], encrypted[400];
	EVP_PKEY	*k, *ca_k, *other;
	X509		*leaf, *ca;
};

static int
pair_make(struct pair *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->dir, sizeof(p->dir), "%s", t_tmpdir());
	p->k = EVP_EC_gen("P-256");
	p->ca_k = EVP_EC_gen("P-256");
	p->other = EVP_EC_gen("P-256");
	if (p->k == NULL || p->ca_k == NULL || p->other == NULL) {
		CHECK(!"EVP_EC_gen");
		return -1;
	}
	p->leaf = make_cert(p->k, p->ca_k, "leaf.test");
	p->ca = make_cert(p->ca_k, p->ca_k, "ca.test");
	write_pem(p->cert, sizeof(p->cert), p->dir, "cert.pem", (X509 *[]){ p->leaf, NULL },
	    NULL, NULL);
	write_pem(p->chain, sizeof(p->chain), p->dir, "chain.pem",
	    (X509 *[]){ p->leaf, p->ca, NULL }, NULL, NULL);
	write_pem(p->ca_first, sizeof(p->ca_first), p->dir, "ca-first.pem",
	    (X509 *[]){ p->ca, p->leaf, NULL }, NULL, NULL);
	write_pem(p->key, sizeof(p->key), p->dir, "key.pem", NULL, p->k, NULL);
	write_pem(p->other_key, sizeof(p->other_key), p->dir, "other.pem", NULL, p->other,
	    NULL);
	write_pem(p->encrypted, sizeof(p->encrypted), p->dir, "encrypted.pem", NULL, p->k,
	    "a passphrase");
	return 0;
}

static void
pair_free(struct pair *p)
{
	X509_free(p->leaf);
	X509_free(p->ca);
	EVP_PKEY_free(p->k);
	EVP_PKEY_free(p->ca_k);
	EVP_PKEY_free(p->other);
}

static void
tls_load_pair_reads_a_matching_pair_whole(void)
{
	struct pair p;
	char *cert, *key, err[512], *want;

	if (pair_make(&p) == -1)
		goto out;
	CHECK(tls_load_pair(p.cert, p.key, &cert, &key, err, sizeof(err)) == 0);
	want = t_read_file(p.cert, NULL);
	CHECK_STR(cert, want);
	free(want);
	want = t_read_file(p.key, NULL);
	CHECK_STR(key, want);
	free(want);
	free(cert);
	xfree_secret(key, strlen(key));
	/* A chain, leaf first, as a server hands it out. */
	CHECK(tls_load_pair(p.chain, p.key, &cert, &key, err, sizeof(err)) == 0);
	CHECK(strstr(strstr(cert, "BEGIN CERTIFICATE") + 1, "BEGIN CERTIFICATE") != NULL);
	free(cert);
	xfree_secret(key, strlen(key));
out:
	pair_free(&p);
}

static void
tls_load_pair_refuses_with_a_sentence(void)
{
	struct pair p;
	char path[400], says[1000];

	if (pair_make(&p) == -1)
		goto out;
	snprintf(says, sizeof(says), "the key in %s is not the key of the certificate in %s",
	    p.other_key, p.cert);
	refused(p.cert, p.other_key, says);
	/* The first certificate must be the server's own. */
	snprintf(says, sizeof(says), "is not the key of the certificate in %s", p.ca_first);
	refused(p.ca_first, p.key, says);
	/* An encrypted key fails at once, without asking for a passphrase. */
	snprintf(says, sizeof(says), "%s holds no unencrypted PEM private key", p.encrypted);
	refused(p.cert, p.encrypted, says);
	/* The two files swapped. */
	snprintf(says, sizeof(says), "%s holds no PEM certificate", p.key);
	refused(p.key, p.cert, says);
	/* Empty, missing, not a file. */
	write_pem(path, sizeof(path), p.dir, "empty.pem", NULL, NULL, NULL);
	snprintf(says, sizeof(says), "%s holds no PEM certificate", path);
	refused(path, p.key, says);
	refused("/nonexistent/cert.pem", p.key,
	    "cannot open the certificate /nonexistent/cert.pem: No such file or directory");
	refused(p.cert, "/nonexistent/key.pem",
	    "cannot open the private key /nonexistent/key.pem: No such file or directory");
	snprintf(says, sizeof(says), "the certificate %s is not a PEM file of at most 65536 bytes",
	    p.dir);
	refused(p.dir, p.key, says);
out:
	pair_free(&p);
}

static void
tls_load_pair_size_limit(void)
{
	struct pair p;
	char path[400], says[1000], *cert, *key, err[16];
	FILE *f;
	long size;

	if (pair_make(&p) == -1)
		goto out;
	/* Exactly TW_MAX_PEM bytes: the certificate, then text PEM readers skip. */
	snprintf(path, sizeof(path), "%s/padded.pem", p.dir);
	CHECK((f = fopen(path, "w")) != NULL);
	if (f == NULL)
		goto out;
	CHECK(PEM_write_X509(f, p.leaf) == 1);
	size = ftell(f);
	for (long i = size; i < TW_MAX_PEM; i++)
		fputc(i % 64 == 63 ? '\n' : '.', f);
	fclose(f);
	CHECK(tls_load_pair(path, p.key, &cert, &key, err, sizeof(err)) == 0);
	CHECK(strlen(cert) == TW_MAX_PEM);
	free(cert);
	xfree_secret(key, strlen(key));
	/* One byte more is not a certificate of ours. */
	CHECK((f = fopen(path, "a")) != NULL);
	if (f == NULL)
		goto out;
	fputc('\n', f);
	fclose(f);
	snprintf(says, sizeof(says), "is not a PEM file of at most %d bytes", TW_MAX_PEM);
	refused(path, p.key, says);
	/* A reason longer than err is cut, never overflowed. */
	CHECK(tls_load_pair(path, p.key, &cert, &key, err, sizeof(err)) == -1);
	CHECK(strlen(err) < sizeof(err));
out:
	pair_free(&p);
}

void
suite_tlsfiles(void)
{
	RUN(tls_load_pair_reads_a_matching_pair_whole);
	RUN(tls_load_pair_refuses_with_a_sentence);
	RUN(tls_load_pair_size_limit);
}
