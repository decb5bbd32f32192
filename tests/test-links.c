/* test-links.c: link lifetimes, signing with the index
 * against a SoupServer, gateway links, and the environment credential source.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-env-credentials.h"
#include "gk-gateway-minter.h"
#include "gk-link-batch.h"
#include "gk-links.h"
#include "gk-test.h"

/* ---- policy ------------------------------------------------------------ */

static void
test_expiry_bounds (void)
{
  const gint64 now = 1795428000;
  g_autoptr(GkCredentials) forever = gk_credentials_new ("AKIAEXAMPLE", "s", NULL, 0);
  g_autoptr(GkCredentials) soon = gk_credentials_new ("ASIAEXAMPLE", "s", "t", now + 120);
  g_autoptr(GkCredentials) gone = gk_credentials_new ("ASIAEXAMPLE", "s", "t", now - 1);
  g_autoptr(GError) e0 = NULL, eneg = NULL, egone = NULL;
  GkLinkCap cap = GK_LINK_CAP_NONE;

  g_assert_cmpuint (gk_links_clamp_expiry (0, forever, now, &cap, &e0), ==, 0);
  g_assert_error (e0, GK_LINKS_ERROR, GK_LINKS_ERROR_INVALID_EXPIRY);
  g_assert_cmpuint (gk_links_clamp_expiry (-5, forever, now, &cap, &eneg), ==, 0);
  g_assert_error (eneg, GK_LINKS_ERROR, GK_LINKS_ERROR_INVALID_EXPIRY);

  g_assert_cmpuint (gk_links_clamp_expiry (1, forever, now, &cap, NULL), ==, 1);
  g_assert_cmpint (cap, ==, GK_LINK_CAP_NONE);
  g_assert_cmpuint (gk_links_clamp_expiry (604800, forever, now, &cap, NULL), ==, 604800);
  g_assert_cmpint (cap, ==, GK_LINK_CAP_NONE);
  g_assert_cmpuint (gk_links_clamp_expiry (604801, forever, now, &cap, NULL), ==, 604800);
  g_assert_cmpint (cap, ==, GK_LINK_CAP_MAXIMUM);

  /* Never beyond the credentials that sign the link. */
  g_assert_cmpuint (gk_links_clamp_expiry (3600, soon, now, &cap, NULL), ==, 120);
  g_assert_cmpint (cap, ==, GK_LINK_CAP_CREDENTIALS);
  g_assert_cmpuint (gk_links_clamp_expiry (60, soon, now, &cap, NULL), ==, 60);
  g_assert_cmpint (cap, ==, GK_LINK_CAP_NONE);
  g_assert_cmpuint (gk_links_clamp_expiry (60, gone, now, &cap, &egone), ==, 0);
  g_assert_error (egone, GK_LINKS_ERROR, GK_LINKS_ERROR_EXPIRED);
}

/* ---- the environment source ------------------------------------------- */

static GStrv
base_env (void)
{
  GStrv env = g_environ_setenv (NULL, "AWS_ACCESS_KEY_ID", "ASIATESTTESTTEST", TRUE);

  env = g_environ_setenv (env, "AWS_SECRET_ACCESS_KEY", "not-a-secret", TRUE);
  env = g_environ_setenv (env, "AWS_SESSION_TOKEN", "tok+/=", TRUE);
  return env;
}

static void
expect_env_error (GStrv       env,
                  int         code,
                  const char *names)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkEnvCredentials) source = gk_env_credentials_new ((const char * const *) env, &error);

  g_assert_null (source);
  g_assert_error (error, GK_ENV_CREDENTIALS_ERROR, code);
  g_assert_nonnull (strstr (error->message, names));
  g_strfreev (env);
}

static void
test_env_missing_and_bad (void)
{
  GStrv env;

  expect_env_error (g_environ_unsetenv (base_env (), "AWS_ACCESS_KEY_ID"),
                    GK_ENV_CREDENTIALS_ERROR_MISSING, "AWS_ACCESS_KEY_ID");
  expect_env_error (g_environ_setenv (base_env (), "AWS_SECRET_ACCESS_KEY", "", TRUE),
                    GK_ENV_CREDENTIALS_ERROR_MISSING, "AWS_SECRET_ACCESS_KEY");
  expect_env_error (g_environ_unsetenv (base_env (), "AWS_SESSION_TOKEN"),
                    GK_ENV_CREDENTIALS_ERROR_MISSING, "AWS_SESSION_TOKEN");
  expect_env_error (g_environ_setenv (base_env (), "AWS_CREDENTIAL_EXPIRATION", "tomorrow", TRUE),
                    GK_ENV_CREDENTIALS_ERROR_INVALID, "AWS_CREDENTIAL_EXPIRATION");
  expect_env_error (g_environ_setenv (base_env (), "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000", TRUE),
                    GK_ENV_CREDENTIALS_ERROR_MISSING, "AWS_REGION");
  env = g_environ_setenv (base_env (), "AWS_REGION", "eu-west-2", TRUE);
  expect_env_error (g_environ_setenv (env, "AWS_ENDPOINT_URL", "http://s3.example.org", TRUE),
                    GK_ENV_CREDENTIALS_ERROR_INVALID, "https://");
}

static void
test_env_bad_endpoint_error_hides_secrets (void)
{
  const char *endpoints[] = {
    "https://minio:hunter2@s3.example.org/",
    "https://s3.example.org/?X-Amz-Signature=hunter2",
  };

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      GStrv env = g_environ_setenv (base_env (), "AWS_REGION", "eu-west-2", TRUE);
      g_autoptr(GError) error = NULL;
      g_autoptr(GkEnvCredentials) source = NULL;

      env = g_environ_setenv (env, "AWS_ENDPOINT_URL_S3", endpoints[i], TRUE);
      source = gk_env_credentials_new ((const char * const *) env, &error);
      g_strfreev (env);
      g_assert_null (source);
      g_assert_error (error, GK_ENV_CREDENTIALS_ERROR, GK_ENV_CREDENTIALS_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "s3.example.org"));
      g_assert_null (strstr (error->message, "hunter2"));
    }
}

/* An endpoint's host is read as written: "%22" must not become a quote in
 * links and JSON, nor "%2F" a slash. */
static void
test_env_endpoint_host_must_be_plain (void)
{
  const char *refused[] = {
    "https://s3.lab%22.example.org", "https://s3%20x.example.org", "https://s3_x.example.org",
    "https://-s3.example.org", "https://s3.example.org%2F@evil", "https://\"q\".example.org",
  };
  const char *accepted[] = {
    "https://s3.eu-west-2.amazonaws.com", "https://minio.lab.example.org.", "http://[::1]:9000",
    "http://127.0.0.1:9000", "https://10.0.0.5",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      GStrv env = g_environ_setenv (base_env (), "AWS_REGION", "eu-west-2", TRUE);
      g_autoptr(GError) error = NULL;
      g_autoptr(GkEnvCredentials) source = NULL;

      g_test_message ("%s", refused[i]);
      env = g_environ_setenv (env, "AWS_ENDPOINT_URL_S3", refused[i], TRUE);
      source = gk_env_credentials_new ((const char * const *) env, &error);
      g_strfreev (env);
      g_assert_null (source);
      g_assert_error (error, GK_ENV_CREDENTIALS_ERROR, GK_ENV_CREDENTIALS_ERROR_INVALID);
    }
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      GStrv env = g_environ_setenv (base_env (), "AWS_REGION", "eu-west-2", TRUE);
      g_autoptr(GError) error = NULL;
      g_autoptr(GkEnvCredentials) source = NULL;

      g_test_message ("%s", accepted[i]);
      env = g_environ_setenv (env, "AWS_ENDPOINT_URL_S3", accepted[i], TRUE);
      source = gk_env_credentials_new ((const char * const *) env, &error);
      g_strfreev (env);
      g_assert_no_error (error);
      g_assert_nonnull (source);
    }
  g_assert_false (gk_profile_host_is_valid ("a..b"));
  g_assert_false (gk_profile_host_is_valid (""));
  g_assert_true (gk_profile_host_is_valid ("::1"));
}

static void
test_env_reads_standard_variables (void)
{
  GStrv env = base_env ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GkEnvCredentials) source = NULL;
  GkCredentials *creds;

  env = g_environ_setenv (env, "AWS_DEFAULT_REGION", "eu-west-2", TRUE);
  env = g_environ_setenv (env, "AWS_ENDPOINT_URL", "http://localhost:4566", TRUE);
  env = g_environ_setenv (env, "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000", TRUE);
  env = g_environ_setenv (env, "AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z", TRUE);
  source = gk_env_credentials_new ((const char * const *) env, &error);
  g_strfreev (env);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_env_credentials_get_region (source), ==, "eu-west-2");
  /* The S3-specific variable wins over the general one, as in the AWS CLI. */
  g_assert_cmpstr (gk_env_credentials_get_endpoint (source), ==, "http://127.0.0.1:9000");
  creds = gk_env_credentials_peek (source);
  g_assert_cmpstr (gk_credentials_get_session_token (creds), ==, "tok+/=");
  g_assert_cmpint (gk_credentials_get_expiration (creds), ==, 1893456000);
}

static void
test_env_expired (void)
{
  GStrv env = g_environ_setenv (base_env (), "AWS_CREDENTIAL_EXPIRATION", "2020-01-01T00:00:00Z", TRUE);
  g_autoptr(GkEnvCredentials) source = gk_env_credentials_new ((const char * const *) env, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GkCredentials *creds;

  g_strfreev (env);
  gk_credential_source_get_credentials_async (GK_CREDENTIAL_SOURCE (source), 60, NULL,
                                              gk_test_store_result_cb, &result);
  creds = gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (source),
                                                       gk_test_wait_for_result (&result), &error);
  g_assert_null (creds);
  g_assert_error (error, GK_ENV_CREDENTIALS_ERROR, GK_ENV_CREDENTIALS_ERROR_EXPIRED);
}

/* ---- signing with the index, against a fake S3 ------------------------- */

typedef struct
{
  GkTestServer *server;
  const char *endpoint;
  const char * const *existing;
  GPtrArray *heads;
} Fake;

static void
fake_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fake *fake = user_data;

  g_ptr_array_add (fake->heads, g_strdup (path));
  for (guint i = 0; fake->existing[i] != NULL; i++)
    if (g_str_equal (path, fake->existing[i]))
      {
        soup_server_message_set_status (msg, 200, NULL);
        return;
      }
  soup_server_message_set_status (msg, 404, NULL);
}

static Fake *
fake_new (const char * const *existing)
{
  Fake *fake = g_new0 (Fake, 1);

  fake->existing = existing;
  fake->heads = g_ptr_array_new_with_free_func (g_free);
  fake->server = gk_test_server_new ();
  gk_test_server_add_handler (fake->server, NULL, fake_cb, fake);
  fake->endpoint = gk_test_server_get_origin (fake->server);
  return fake;
}

static void
fake_free (Fake *fake)
{
  gk_test_server_free (fake->server);
  g_ptr_array_unref (fake->heads);
  g_free (fake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fake, fake_free)

static GkLinker *
linker_for (Fake   *fake,
            gint64  credentials_left)
{
  GStrv env = g_environ_setenv (base_env (), "AWS_REGION", "eu-west-2", TRUE);
  g_autoptr(GkEnvCredentials) source = NULL;
  g_autoptr(GkS3Client) client = NULL;

  env = g_environ_setenv (env, "AWS_ENDPOINT_URL_S3", fake->endpoint, TRUE);
  if (credentials_left > 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) then = g_date_time_add_seconds (now, credentials_left);
      g_autofree char *iso = g_date_time_format_iso8601 (then);

      env = g_environ_setenv (env, "AWS_CREDENTIAL_EXPIRATION", iso, TRUE);
    }
  source = gk_env_credentials_new ((const char * const *) env, NULL);
  g_strfreev (env);
  client = gk_s3_client_new (GK_CREDENTIAL_SOURCE (source), gk_env_credentials_get_region (source),
                             gk_env_credentials_get_endpoint (source), NULL);
  return gk_linker_new (client);
}

static GkLink *
sign (GkLinker     *linker,
      const char   *key,
      gint64        expires,
      GkLinkFlags   flags,
      GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_linker_sign_async (linker, "demo-lab", key, expires, flags, NULL, gk_test_store_result_cb, &result);
  return gk_linker_sign_finish (linker, gk_test_wait_for_result (&result), error);
}

static void
test_sign_finds_second_candidate (void)
{
  const char * const existing[] = { "/demo-lab/c/S1.bam", "/demo-lab/c/S1.bai", NULL };
  g_autoptr(Fake) fake = fake_new (existing);
  g_autoptr(GkLinker) linker = linker_for (fake, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkLink) link = sign (linker, "c/S1.bam", 900, GK_LINK_WITH_INDEX, &error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_no_error (error);
  g_assert_cmpint (link->kind, ==, GK_LINK_PRESIGNED);
  g_assert_cmpstr (link->index_key, ==, "c/S1.bai");
  g_assert_true (g_str_has_prefix (link->url, fake->endpoint));
  g_assert_nonnull (strstr (link->url, "/demo-lab/c/S1.bam?X-Amz-Algorithm="));
  g_assert_nonnull (strstr (link->index_url, "/demo-lab/c/S1.bai?X-Amz-Algorithm="));
  g_assert_nonnull (strstr (link->url, "&X-Amz-Expires=900&"));
  g_assert_cmpuint (link->expires_in, ==, 900);
  g_assert_cmpint (link->cap, ==, GK_LINK_CAP_NONE);
  g_assert_cmpint (ABS (link->expires_at - (now + 900)), <=, 2);
  /* .bam.bai tried first, then .bai. */
  g_assert_cmpuint (fake->heads->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fake->heads, 0), ==, "/demo-lab/c/S1.bam.bai");
}

static void
test_sign_missing_index_names_files (void)
{
  const char * const existing[] = { "/demo-lab/S1.vcf.gz", NULL };
  g_autoptr(Fake) fake = fake_new (existing);
  g_autoptr(GkLinker) linker = linker_for (fake, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GkLink) link = sign (linker, "S1.vcf.gz", 900, GK_LINK_WITH_INDEX, &error);

  g_assert_null (link);
  g_assert_error (error, GK_LINKS_ERROR, GK_LINKS_ERROR_NO_INDEX);
  g_assert_nonnull (strstr (error->message, "s3://demo-lab/S1.vcf.gz.tbi"));
  g_assert_nonnull (strstr (error->message, "s3://demo-lab/S1.vcf.gz.csi"));
}

static void
test_sign_without_index_needs_no_request (void)
{
  const char * const existing[] = { NULL };
  g_autoptr(Fake) fake = fake_new (existing);
  g_autoptr(GkLinker) linker = linker_for (fake, 0);
  g_autoptr(GkLink) bedpe = sign (linker, "S1.sv.bedpe", 60, GK_LINK_WITH_INDEX, NULL);
  g_autoptr(GkLink) bam = sign (linker, "S1.bam", 60, GK_LINK_FLAGS_NONE, NULL);

  g_assert_nonnull (bedpe);
  g_assert_null (bedpe->index_url);
  g_assert_nonnull (bam);
  g_assert_null (bam->index_url);
  g_assert_cmpuint (fake->heads->len, ==, 0);
}

static void
test_sign_capped_by_credentials (void)
{
  const char * const existing[] = { NULL };
  g_autoptr(Fake) fake = fake_new (existing);
  g_autoptr(GkLinker) linker = linker_for (fake, 300);
  g_autoptr(GError) error = NULL, e0 = NULL;
  g_autoptr(GkLink) link = sign (linker, "S1.bam", 604800, GK_LINK_FLAGS_NONE, &error);
  g_autoptr(GkLink) none = sign (linker, "S1.bam", 0, GK_LINK_FLAGS_NONE, &e0);
  g_autofree char *want = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (link->cap, ==, GK_LINK_CAP_CREDENTIALS);
  g_assert_cmpuint (link->expires_in, <=, 300);
  g_assert_cmpuint (link->expires_in, >=, 295);
  want = g_strdup_printf ("&X-Amz-Expires=%u&", link->expires_in);
  g_assert_nonnull (strstr (link->url, want));

  g_assert_null (none);
  g_assert_error (e0, GK_LINKS_ERROR, GK_LINKS_ERROR_INVALID_EXPIRY);
}

static void
on_serving_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (gk_gateway_serve_profile_finish (GK_GATEWAY (object), result, NULL));
  *done = TRUE;
}

static void
test_gateway_links (void)
{
  const char * const existing[] = { "/demo-lab/a b/S1.bam", "/demo-lab/a b/S1.bai", NULL };
  g_autoptr(Fake) fake = fake_new (existing);
  g_autoptr(GkLinker) linker = linker_for (fake, 0);
  g_autoptr(GkKeyring) keyring = gk_keyring_new_memory_only ();
  g_autofree char *dir = g_dir_make_tmp ("gk-links-XXXXXX", NULL);
  g_autoptr(GkGateway) gateway = gk_gateway_new (keyring, dir);
  g_autoptr(GkGatewayMinter) minter = NULL;
  g_autoptr(GkLink) link = NULL;
  g_autoptr(GkLink) unservable = NULL;
  g_autoptr(GError) error = NULL;
  gboolean serving = FALSE;
  guint16 port;

  /* Any port that is free now. */
  for (port = 28152 + g_random_int_range (0, 2000); !gk_gateway_start (gateway, port, NULL); port++)
    ;
  gk_gateway_serve_profile_async (gateway, "lab", gk_linker_get_client (linker), NULL, on_serving_cb,
                                  &serving);
  gk_test_wait_until (serving);
  minter = gk_gateway_minter_new (gateway, "lab");
  gk_linker_set_minter (linker, GK_LINK_MINTER (minter));

  /* The index is found as for presigned links, then both are minted. */
  link = sign (linker, "a b/S1.bam", 60, GK_LINK_WITH_INDEX, &error);
  g_assert_no_error (error);
  g_assert_cmpint (link->kind, ==, GK_LINK_GATEWAY);
  g_assert_cmpint (link->expires_at, ==, 0);
  g_assert_cmpstr (link->index_key, ==, "a b/S1.bai");
  g_assert_true (g_str_has_prefix (link->url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (link->url, "/demo-lab/a%20b/S1.bam"));
  g_assert_true (g_str_has_suffix (link->index_url, "/demo-lab/a%20b/S1.bai"));
  g_assert_null (strstr (link->url, "X-Amz-"));

  unservable = sign (linker, "a/../S1.bam", 60, GK_LINK_FLAGS_NONE, &error);
  g_assert_null (unservable);
  g_assert_error (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_UNSERVABLE_KEY);
  g_clear_error (&error);

  /* In a batch, the key the gateway cannot link fails alone: the others
   * still get theirs (the gateway refuses a whole call for one such key). */
  {
    g_autoptr(GkLinkBatch) batch = gk_link_batch_new (linker, 60);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GkLink) first = NULL;
    g_autoptr(GkLink) odd = NULL;
    g_autoptr(GkLink) last = NULL;

    gk_link_batch_add (batch, "demo-lab", "a b/S1.bam", GK_LINK_WITH_INDEX);
    gk_link_batch_add (batch, "demo-lab", "a//S1.bam", GK_LINK_FLAGS_NONE);
    gk_link_batch_add (batch, "demo-lab", "a b/S1.bai", GK_LINK_FLAGS_NONE);
    gk_link_batch_sign_async (batch, NULL, gk_test_store_result_cb, &result);
    g_assert_true (gk_link_batch_sign_finish (batch, gk_test_wait_for_result (&result), &error));
    g_assert_no_error (error);
    first = gk_link_batch_get_link (batch, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (first->url, ==, link->url);
    g_assert_cmpstr (first->index_url, ==, link->index_url);
    odd = gk_link_batch_get_link (batch, 1, &error);
    g_assert_null (odd);
    g_assert_error (error, GK_GATEWAY_ERROR, GK_GATEWAY_ERROR_UNSERVABLE_KEY);
    g_clear_error (&error);
    last = gk_link_batch_get_link (batch, 2, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (last->url, ==, link->index_url);
  }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/links/env/endpoint-host-must-be-plain", test_env_endpoint_host_must_be_plain);
  g_test_add_func ("/links/expiry/bounded-by-limit-and-credentials", test_expiry_bounds);
  g_test_add_func ("/links/sign/finds-the-index-that-exists", test_sign_finds_second_candidate);
  g_test_add_func ("/links/sign/missing-index-names-files-tried", test_sign_missing_index_names_files);
  g_test_add_func ("/links/sign/no-index-no-request", test_sign_without_index_needs_no_request);
  g_test_add_func ("/links/sign/capped-by-credentials", test_sign_capped_by_credentials);
  g_test_add_func ("/links/gateway/minted-with-index", test_gateway_links);
  g_test_add_func ("/env-credentials/missing-or-bad-variables", test_env_missing_and_bad);
  g_test_add_func ("/env-credentials/standard-variables", test_env_reads_standard_variables);
  g_test_add_func ("/env-credentials/expired", test_env_expired);
  g_test_add_func ("/env-credentials/bad-endpoint-error-hides-secrets", test_env_bad_endpoint_error_hides_secrets);

  return g_test_run ();
}
