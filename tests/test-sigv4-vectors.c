/* test-sigv4-vectors.c: Genokey's SigV4 stages against the vector folders
 *
 * tests/sigv4-vectors/ holds one folder per case, laid out like aws-c-auth's
 * suite, with the expected canonical request, string to sign and signature
 * that botocore and awscrt agreed on (tests/sigv4-vectors/generate.py).
 * For every case this checks, stage by stage, the pure functions
 * (canonical request → string to sign → signing key → signature) and then
 * the fast signer Genokey really uses: header signing for every case, and
 * presigning for the requests Genokey presigns (GET of an object).
 *
 * The credentials in the folders are AWS's published example keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "gk-sigv4.h"

/* The cases the folders must cover (the generator's list may grow). */
#define MIN_CASES 20

typedef struct
{
  char *dir;
  char *name;
  /* request.txt */
  char *method;
  char *path;          /* decoded: what Genokey is given */
  GPtrArray *query;    /* GkSigv4Pair, decoded */
  GPtrArray *headers;  /* GkSigv4Pair, raw values, without Host */
  char *host;
  GPtrArray *strings;  /* owns the pairs' strings */
  /* context.json */
  GkCredentials *credentials;
  char *region;
  char *service;
  gint64 now;
  char *payload_hash;
  guint expires;
} Vector;

static void
vector_free (Vector *v)
{
  g_free (v->dir);
  g_free (v->name);
  g_free (v->method);
  g_free (v->path);
  g_ptr_array_unref (v->query);
  g_ptr_array_unref (v->headers);
  g_free (v->host);
  g_ptr_array_unref (v->strings);
  g_clear_pointer (&v->credentials, gk_credentials_unref);
  g_free (v->region);
  g_free (v->service);
  g_free (v->payload_hash);
  g_free (v);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Vector, vector_free)

/* Through a mapping rather than g_file_get_contents (&local): GCC 12 at
 * -O3 takes pointers into the text for pointers to that local variable
 * (-Wdangling-pointer), which the release build's --werror refuses. */
static char *
read_file (Vector     *v,
           const char *file)
{
  g_autofree char *path = g_build_filename (v->dir, file, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, &error);

  g_assert_no_error (error);
  return g_strndup (g_mapped_file_get_contents (mapped), g_mapped_file_get_length (mapped));
}

static gboolean
has_file (Vector     *v,
          const char *file)
{
  g_autofree char *path = g_build_filename (v->dir, file, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static const char *
keep (Vector *v,
      char   *s)
{
  g_ptr_array_add (v->strings, s);
  return s;
}

static GkSigv4Pair *
add_pair (GPtrArray  *pairs,
          const char *name,
          const char *value)
{
  GkSigv4Pair *pair = g_new0 (GkSigv4Pair, 1);

  pair->name = name;
  pair->value = value;
  g_ptr_array_add (pairs, pair);
  return pair;
}

/* "%2F" → "/": the folders hold the request as sent; Genokey is given the
 * decoded key and query and encodes them itself. */
static char *
decode (const char *s,
        gssize      len)
{
  g_autofree char *part = g_strndup (s, len < 0 ? strlen (s) : (gsize) len);
  char *decoded = g_uri_unescape_string (part, NULL);

  g_assert_nonnull (decoded);
  return decoded;
}

static void
parse_request (Vector *v)
{
  g_autofree char *text = read_file (v, "request.txt");
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_auto(GStrv) first = g_strsplit (lines[0], " ", 3);
  const char *target, *q;

  g_assert_cmpuint (g_strv_length (first), ==, 3);
  g_assert_cmpstr (first[2], ==, "HTTP/1.1");
  v->method = g_strdup (first[0]);
  target = first[1];
  q = strchr (target, '?');
  v->path = decode (target, q != NULL ? q - target : -1);
  if (q != NULL)
    {
      g_auto(GStrv) params = g_strsplit (q + 1, "&", -1);

      for (guint i = 0; params[i] != NULL; i++)
        {
          const char *eq = strchr (params[i], '=');

          /* "?acl" is the parameter acl with an empty value. */
          add_pair (v->query, keep (v, decode (params[i], eq ? eq - params[i] : -1)),
                    keep (v, eq ? decode (eq + 1, -1) : g_strdup ("")));
        }
    }
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      const char *colon = strchr (lines[i], ':');

      g_assert_nonnull (colon);
      /* The value exactly as sent, spaces and tabs included: trimming is
       * the canonicalisation under test. */
      if (g_ascii_strncasecmp (lines[i], "host:", 5) == 0)
        v->host = g_strdup (colon + 1);
      else
        add_pair (v->headers, keep (v, g_strndup (lines[i], colon - lines[i])),
                  keep (v, g_strdup (colon + 1)));
    }
  g_assert_nonnull (v->host);
}

static void
parse_context (Vector *v)
{
  g_autofree char *text = read_file (v, "context.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *context, *credentials;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  context = json_node_get_object (json_parser_get_root (parser));
  credentials = json_object_get_object_member (context, "credentials");
  v->credentials =
    gk_credentials_new (json_object_get_string_member (credentials, "access_key_id"),
                        json_object_get_string_member (credentials, "secret_access_key"),
                        json_object_get_string_member_with_default (credentials, "session_token", NULL),
                        0);
  v->region = g_strdup (json_object_get_string_member (context, "region"));
  v->service = g_strdup (json_object_get_string_member (context, "service"));
  v->now = json_object_get_int_member (context, "epoch");
  v->payload_hash = g_strdup (json_object_get_string_member (context, "payload_hash"));
  v->expires = (guint) json_object_get_int_member_with_default (context, "expiration_in_seconds", 0);
  /* S3 signs the path as it is: no normalisation of //, ./ or ../. */
  g_assert_false (json_object_get_boolean_member (context, "normalize"));
}

static Vector *
vector_load (const char *name)
{
  Vector *v = g_new0 (Vector, 1);

  v->name = g_strdup (name);
  v->dir = g_test_build_filename (G_TEST_DIST, "sigv4-vectors", name, NULL);
  v->query = g_ptr_array_new_with_free_func (g_free);
  v->headers = g_ptr_array_new_with_free_func (g_free);
  v->strings = g_ptr_array_new_with_free_func (g_free);
  parse_request (v);
  parse_context (v);
  return v;
}

/* The pairs as the contiguous array the stage functions take. */
static GkSigv4Pair *
flatten (GPtrArray *pairs)
{
  GkSigv4Pair *flat = g_new0 (GkSigv4Pair, pairs->len + 1);

  for (guint i = 0; i < pairs->len; i++)
    flat[i] = *(GkSigv4Pair *) pairs->pdata[i];
  return flat;
}

/* Stages 2–4 from a canonical request, checked against the folder. */
static void
check_sign_stages (Vector     *v,
                   const char *form,
                   const char *canonical_request)
{
  g_autofree char *file = NULL;
  g_autofree char *want_sts = NULL;
  g_autofree char *want_signature = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *sts = NULL;
  char long_date[17], short_date[9], signature[65];
  guint8 key[32];

  gk_sigv4_format_date (v->now, long_date, short_date);
  scope = gk_sigv4_scope (short_date, v->region, v->service);
  sts = gk_sigv4_string_to_sign (long_date, scope, canonical_request);
  file = g_strconcat (form, "-string-to-sign.txt", NULL);
  want_sts = read_file (v, file);
  g_assert_cmpstr (sts, ==, want_sts);

  gk_sigv4_derive_signing_key (gk_credentials_get_secret_access_key (v->credentials), short_date,
                               v->region, v->service, key);
  gk_sigv4_signature (key, sts, signature);
  g_free (file);
  file = g_strconcat (form, "-signature.txt", NULL);
  want_signature = read_file (v, file);
  g_assert_cmpstr (signature, ==, want_signature);
}

static void
test_header_form (gconstpointer data)
{
  g_autoptr(Vector) v = vector_load (data);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GkSigv4Signer) signer = gk_sigv4_signer_new ();
  g_auto(GkSigv4Stages) stages = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree GkSigv4Pair *query = flatten (v->query);
  g_autofree GkSigv4Pair *headers = flatten (v->headers);
  g_autofree GkSigv4Pair *all_flat = NULL;
  g_autofree char *signed_headers = NULL;
  g_autofree char *cr = NULL;
  g_autofree char *want_cr = read_file (v, "header-canonical-request.txt");
  g_autofree char *want_authorization = read_file (v, "header-authorization.txt");
  g_auto(GStrv) out = NULL;
  const char *token = gk_credentials_get_session_token (v->credentials);
  const char *authorization = NULL;
  char long_date[17], short_date[9];

  /* Stage 1 with the headers the signer adds, as a request carries them. */
  gk_sigv4_format_date (v->now, long_date, short_date);
  add_pair (all, "host", v->host);
  for (guint i = 0; i < v->headers->len; i++)
    g_ptr_array_add (all, g_memdup2 (v->headers->pdata[i], sizeof (GkSigv4Pair)));
  add_pair (all, "x-amz-content-sha256", v->payload_hash);
  add_pair (all, "x-amz-date", long_date);
  if (token != NULL)
    add_pair (all, "x-amz-security-token", token);
  all_flat = flatten (all);
  cr = gk_sigv4_canonical_request (v->method, v->path, query, v->query->len, all_flat, all->len,
                                   v->payload_hash, &signed_headers);
  g_assert_cmpstr (cr, ==, want_cr);
  check_sign_stages (v, "header", cr);

  /* The signer Genokey's S3 client uses, from the request alone. */
  out = gk_sigv4_signer_sign_headers (signer, v->credentials, v->region, v->service, v->method,
                                      v->host, v->path, query, v->query->len, headers,
                                      v->headers->len, v->payload_hash, v->now, &stages, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
  g_assert_cmpstr (stages.canonical_request, ==, want_cr);
  for (guint i = 0; out[i] != NULL && out[i + 1] != NULL; i += 2)
    if (g_str_equal (out[i], "Authorization"))
      authorization = out[i + 1];
  g_assert_cmpstr (authorization, ==, want_authorization);
}

/* name=value pairs of a URL's query, in order. */
static GStrv
query_params (const char *url)
{
  const char *q = strchr (url, '?');

  g_assert_nonnull (q);
  return g_strsplit (q + 1, "&", -1);
}

static void
test_query_form (gconstpointer data)
{
  g_autoptr(Vector) v = vector_load (data);
  g_autoptr(GkSigv4Signer) signer = gk_sigv4_signer_new ();
  g_auto(GkSigv4Stages) stages = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *want_cr = read_file (v, "query-canonical-request.txt");
  g_autofree char *want_url = read_file (v, "query-signed-url.txt");
  g_autofree char *want_signature = read_file (v, "query-signature.txt");
  g_autofree char *credential = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *cr = NULL;
  g_autofree char *expires = g_strdup_printf ("%u", v->expires);
  g_autofree char *last = NULL;
  g_auto(GStrv) got = NULL;
  g_auto(GStrv) want = NULL;
  const char *token = gk_credentials_get_session_token (v->credentials);
  const char *want_query;
  GString *url = g_string_new (NULL);
  char long_date[17], short_date[9];

  /* Genokey presigns a GET of an object: no query or header of its own. */
  g_assert_cmpstr (v->method, ==, "GET");
  g_assert_cmpuint (v->query->len, ==, 0);
  g_assert_cmpuint (v->headers->len, ==, 0);
  g_assert_cmpuint (v->expires, >, 0);

  gk_sigv4_format_date (v->now, long_date, short_date);
  scope = gk_sigv4_scope (short_date, v->region, v->service);
  credential = g_strconcat (gk_credentials_get_access_key_id (v->credentials), "/", scope, NULL);
  {
    GkSigv4Pair query[] = {
      { "X-Amz-Algorithm", GK_SIGV4_ALGORITHM },
      { "X-Amz-Credential", credential },
      { "X-Amz-Date", long_date },
      { "X-Amz-Expires", expires },
      { "X-Amz-Security-Token", token },
      { "X-Amz-SignedHeaders", "host" },
    };
    GkSigv4Pair host[] = { { "host", v->host } };
    gsize n_query = G_N_ELEMENTS (query);

    if (token == NULL)
      {
        query[4] = query[5];
        n_query--;
      }
    cr = gk_sigv4_canonical_request ("GET", v->path, query, n_query, host, 1,
                                     GK_SIGV4_UNSIGNED_PAYLOAD, NULL);
  }
  g_assert_cmpstr (cr, ==, want_cr);
  check_sign_stages (v, "query", cr);

  g_assert_true (gk_sigv4_signer_presign (signer, v->credentials, v->region, v->service, "GET",
                                          "https", v->host, v->path, -1, v->now, v->expires, url,
                                          &stages, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (stages.canonical_request, ==, want_cr);

  /* The same link: address, and the same parameters (their order in a URL
   * is free, except that the signature comes last). */
  want_query = strchr (want_url, '?');
  g_assert_cmpmem (url->str, strchr (url->str, '?') - url->str, want_url, want_query - want_url);
  got = query_params (url->str);
  want = query_params (want_url);
  g_assert_cmpuint (g_strv_length (got), ==, g_strv_length (want));
  for (guint i = 0; want[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char * const *) got, want[i]));
  last = g_strconcat ("X-Amz-Signature=", want_signature, NULL);
  g_assert_cmpstr (got[g_strv_length (got) - 1], ==, last);
  g_string_free (url, TRUE);
}

static GPtrArray *
list_cases (void)
{
  g_autofree char *root = g_test_build_filename (G_TEST_DIST, "sigv4-vectors", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  dir = g_dir_open (root, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  return names;
}

/* An empty or half-generated folder must not pass as "no vector failed". */
static void
test_cases_cover_the_hard_parts (gconstpointer data)
{
  GPtrArray *names = (GPtrArray *) data;
  const char *must[] = { "unnormalized-double-slash", "unnormalized-dot-segments", "utf8-key",
                         "query-empty-value", "query-repeated-keys", "header-value-whitespace",
                         "session-token" };
  guint presigned = 0;

  g_assert_cmpuint (names->len, >=, MIN_CASES);
  for (guint i = 0; i < G_N_ELEMENTS (must); i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < names->len && !found; j++)
        found = strstr (names->pdata[j], must[i]) != NULL;
      if (!found)
        g_error ("no vector folder covers %s", must[i]);
    }
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(Vector) v = vector_load (names->pdata[i]);

      g_assert_true (has_file (v, "header-canonical-request.txt"));
      presigned += has_file (v, "query-canonical-request.txt");
    }
  g_assert_cmpuint (presigned, >=, 8);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) names = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  names = list_cases ();

  g_test_add_data_func ("/sigv4/vectors/cover-the-hard-parts", names, test_cases_cover_the_hard_parts);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      g_autofree char *header_path = g_strdup_printf ("/sigv4/vectors/%s/header", name);
      g_autofree char *query_path = g_strdup_printf ("/sigv4/vectors/%s/query", name);
      g_autofree char *query_file = g_test_build_filename (G_TEST_DIST, "sigv4-vectors", name,
                                                           "query-canonical-request.txt", NULL);

      g_test_add_data_func (header_path, name, test_header_form);
      if (g_file_test (query_file, G_FILE_TEST_EXISTS))
        g_test_add_data_func (query_path, name, test_query_form);
    }
  status = g_test_run ();
  return status;
}
