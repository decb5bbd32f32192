/* test-credential-sources.c: the credential sources that are not a lab sign-in — the
 * EC2 instance profile against an IMDSv2 SoupServer, an access key over a
 * memory-only keyring, and how a profile's source is opened
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gk-access-key-source.h"
#include "gk-assume-role-source.h"
#include "gk-instance-profile-source.h"
#include "gk-source-profile.h"
#include "gk-sources.h"
#include "gk-test.h"

#define IMDS_CREDENTIALS \
  "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"2025-06-01T10:00:00Z\",\n" \
  "  \"Type\" : \"AWS-HMAC\",\n  \"AccessKeyId\" : \"ASIAINSTANCE\",\n" \
  "  \"SecretAccessKey\" : \"instance-secret\",\n  \"Token\" : \"instance-token\",\n" \
  "  \"Expiration\" : \"2030-01-02T03:04:05Z\"\n}"

static GkProfile *
profile_from_json (const char *name,
                   const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GkProfile *profile;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  profile = gk_profile_new_from_json (json_node_get_object (json_parser_get_root (parser)), name, &error);
  g_assert_no_error (error);
  return profile;
}

static GkCredentials *
get_credentials (GkCredentialSource  *source,
                 GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_credential_source_get_credentials_async (source, 0, NULL, gk_test_store_result_cb, &result);
  return gk_credential_source_get_credentials_finish (source, gk_test_wait_for_result (&result), error);
}

/* Removes a test's profile directory and what is in it. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* ---- the IMDS credentials document ---------------------------------------- */

static void
test_imds_credentials_parsed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GkCredentials) creds = gk_instance_profile_parse_credentials (IMDS_CREDENTIALS, -1, &error);
  g_autoptr(GDateTime) expiry = g_date_time_new_from_iso8601 ("2030-01-02T03:04:05Z", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (gk_credentials_get_access_key_id (creds), ==, "ASIAINSTANCE");
  g_assert_cmpstr (gk_credentials_get_secret_access_key (creds), ==, "instance-secret");
  g_assert_cmpstr (gk_credentials_get_session_token (creds), ==, "instance-token");
  g_assert_cmpint (gk_credentials_get_expiration (creds), ==, g_date_time_to_unix (expiry));
}

static void
test_imds_credentials_refused (void)
{
  struct { const char *json; int code; } cases[] = {
    /* EC2 says why it has none, e.g. while the role is being attached */
    { "{\"Code\":\"AssumeRoleUnauthorizedAccess\",\"Message\":\"...\"}", GK_INSTANCE_PROFILE_ERROR_REFUSED },
    { "{\"Code\":\"Success\",\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"s\","
      "\"Expiration\":\"2030-01-01T00:00:00Z\"}", GK_INSTANCE_PROFILE_ERROR_INVALID },
    { "{\"Code\":\"Success\",\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"s\",\"Token\":\"t\","
      "\"Expiration\":\"soon\"}", GK_INSTANCE_PROFILE_ERROR_INVALID },
    { "{\"Code\":\"Success\",\"AccessKeyId\":7,\"SecretAccessKey\":\"s\",\"Token\":\"t\","
      "\"Expiration\":\"2030-01-01T00:00:00Z\"}", GK_INSTANCE_PROFILE_ERROR_INVALID },
    { "<html>not found</html>", GK_INSTANCE_PROFILE_ERROR_INVALID },
    { "[]", GK_INSTANCE_PROFILE_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GkCredentials) creds = gk_instance_profile_parse_credentials (cases[i].json, -1, &error);

      g_assert_null (creds);
      g_assert_error (error, GK_INSTANCE_PROFILE_ERROR, cases[i].code);
      /* the secret in a half-complete answer is never repeated */
      g_assert_null (strstr (error->message, "\"s\""));
    }
}

/* ---- the instance profile against an IMDSv2 server ------------------------- */

typedef struct
{
  GkTestServer *server;
  char *endpoint;
  guint tokens_issued;
  guint gets;
  guint gets_without_token;
  gboolean no_role;
  gboolean expire_first_token;  /* answer 401 to the first GET, as after a restart */
  char *token;
} Imds;

static void
imds_handle_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Imds *imds = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *token = soup_message_headers_get_one (headers, "X-aws-ec2-metadata-token");
  const char *body = NULL;

  if (g_str_equal (path, "/latest/api/token"))
    {
      /* IMDSv2: a PUT with a TTL, never a GET */
      if (!g_str_equal (method, "PUT") ||
          soup_message_headers_get_one (headers, "X-aws-ec2-metadata-token-ttl-seconds") == NULL)
        {
          gk_test_respond (msg, 400, "text/plain", NULL);
          return;
        }
      g_free (imds->token);
      imds->token = g_strdup_printf ("token-%u", ++imds->tokens_issued);
      gk_test_respond (msg, 200, "text/plain", imds->token);
      return;
    }

  imds->gets++;
  if (token == NULL)
    imds->gets_without_token++;
  if (token == NULL || g_strcmp0 (token, imds->token) != 0 ||
      (imds->expire_first_token && imds->gets == 1))
    {
      gk_test_respond (msg, 401, "text/plain", NULL);
      return;
    }
  if (g_str_equal (path, "/latest/meta-data/iam/security-credentials/"))
    body = imds->no_role ? NULL : "LabInstanceRole\n";
  else if (g_str_equal (path, "/latest/meta-data/iam/security-credentials/LabInstanceRole"))
    body = IMDS_CREDENTIALS;
  gk_test_respond (msg, body != NULL ? 200 : 404, "text/plain", body);
}

static void
imds_setup (Imds          *imds,
            gconstpointer  data)
{
  imds->server = gk_test_server_new ();
  gk_test_server_add_handler (imds->server, NULL, imds_handle_cb, imds);
  /* with a slash the source drops, as the SDKs do */
  imds->endpoint = gk_test_server_url (imds->server, "/");
}

static void
imds_teardown (Imds          *imds,
               gconstpointer  data)
{
  g_clear_pointer (&imds->server, gk_test_server_free);
  g_free (imds->endpoint);
  g_free (imds->token);
}

static GkInstanceProfileSource *
instance_source (const char *endpoint,
                 const char *disabled)
{
  g_autoptr(GkProfile) profile = profile_from_json ("ec2", "{\"source\":\"instance-profile\"}");
  g_auto(GStrv) envp = g_environ_setenv (NULL, "AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint, TRUE);

  if (disabled != NULL)
    envp = g_environ_setenv (envp, "AWS_EC2_METADATA_DISABLED", disabled, TRUE);
  return gk_instance_profile_source_new (profile, (const char * const *) envp);
}

static void
test_instance_profile_imdsv2 (Imds          *imds,
                              gconstpointer  data)
{
  g_autoptr(GkInstanceProfileSource) source = instance_source (imds->endpoint, NULL);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GkCredentials) again = NULL;
  g_autoptr(GError) error = NULL;

  /* the endpoint from AWS_EC2_METADATA_SERVICE_ENDPOINT, without its slash */
  g_assert_false (g_str_has_suffix (gk_instance_profile_source_get_endpoint (source), "/"));
  creds = get_credentials (GK_CREDENTIAL_SOURCE (source), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_credentials_get_access_key_id (creds), ==, "ASIAINSTANCE");
  g_assert_cmpstr (gk_instance_profile_source_get_role_name (source), ==, "LabInstanceRole");
  /* a token first, then the role and its credentials, each with the token */
  g_assert_cmpuint (imds->tokens_issued, ==, 1);
  g_assert_cmpuint (imds->gets, ==, 2);
  g_assert_cmpuint (imds->gets_without_token, ==, 0);

  /* credentials still valid are handed out again without asking */
  again = get_credentials (GK_CREDENTIAL_SOURCE (source), &error);
  g_assert_no_error (error);
  g_assert_true (again == creds);
  g_assert_cmpuint (imds->gets, ==, 2);
}

static void
test_instance_profile_token_renewed_once (Imds          *imds,
                                          gconstpointer  data)
{
  g_autoptr(GkInstanceProfileSource) source = instance_source (imds->endpoint, NULL);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  imds->expire_first_token = TRUE;
  creds = get_credentials (GK_CREDENTIAL_SOURCE (source), &error);
  g_assert_no_error (error);
  g_assert_nonnull (creds);
  /* a 401 to a GET means the token ran out: one new token, no IMDSv1 */
  g_assert_cmpuint (imds->tokens_issued, ==, 2);
  g_assert_cmpuint (imds->gets_without_token, ==, 0);
}

static void
test_instance_profile_no_role (Imds          *imds,
                               gconstpointer  data)
{
  g_autoptr(GkInstanceProfileSource) source = instance_source (imds->endpoint, NULL);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  imds->no_role = TRUE;
  creds = get_credentials (GK_CREDENTIAL_SOURCE (source), &error);
  g_assert_null (creds);
  g_assert_error (error, GK_INSTANCE_PROFILE_ERROR, GK_INSTANCE_PROFILE_ERROR_NO_ROLE);
  g_assert_nonnull (strstr (error->message, "Modify IAM role"));
}

static void
test_instance_profile_disabled (Imds          *imds,
                                gconstpointer  data)
{
  g_autoptr(GkInstanceProfileSource) source = instance_source (imds->endpoint, "TRUE");
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;

  creds = get_credentials (GK_CREDENTIAL_SOURCE (source), &error);
  g_assert_null (creds);
  g_assert_error (error, GK_INSTANCE_PROFILE_ERROR, GK_INSTANCE_PROFILE_ERROR_DISABLED);
  g_assert_nonnull (strstr (error->message, "AWS_EC2_METADATA_DISABLED"));
  /* turned off means not asked at all */
  g_assert_cmpuint (imds->tokens_issued + imds->gets, ==, 0);
}

static void
test_instance_profile_not_ec2 (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GkInstanceProfileSource) source = NULL;
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* a loopback port that is bound but never listens refuses connections,
   * as nothing answers off EC2; never the real link-local address */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  bound = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  source = instance_source (url, NULL);
  creds = get_credentials (GK_CREDENTIAL_SOURCE (source), &error);
  g_assert_null (creds);
  g_assert_error (error, GK_INSTANCE_PROFILE_ERROR, GK_INSTANCE_PROFILE_ERROR_NOT_EC2);
  g_assert_nonnull (strstr (error->message, "does not look like an EC2 instance"));
}

/* ---- an access key over a memory-only keyring ------------------------------ */

static void
test_access_key_secret_plausible (void)
{
  g_assert_true (gk_access_key_secret_is_plausible ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
  g_assert_false (gk_access_key_secret_is_plausible (NULL));
  g_assert_false (gk_access_key_secret_is_plausible (""));
  g_assert_false (gk_access_key_secret_is_plausible ("short"));
  g_assert_false (gk_access_key_secret_is_plausible ("wJalrXUtnFEMI K7MDENG bPxRfiCYEXAMPLEKEY"));
  g_assert_false (gk_access_key_secret_is_plausible ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"));
}

static gboolean
store_secret (GkAccessKeySource  *source,
              const char         *secret,
              GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_access_key_source_store_secret_async (source, secret, NULL, gk_test_store_result_cb, &result);
  return gk_access_key_source_store_secret_finish (source, gk_test_wait_for_result (&result), error);
}

static void
test_access_key_from_keyring (void)
{
  g_autoptr(GkProfile) profile =
    profile_from_json ("partner", "{\"source\":\"access-key\",\"access_key_id\":\"AKIAIOSFODNN7EXAMPLE\"}");
  g_autoptr(GkKeyring) keyring = gk_keyring_new_memory_only ();
  g_autoptr(GkAccessKeySource) source = gk_access_key_source_new (profile, keyring);
  g_autoptr(GkCredentials) creds = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* nothing stored yet: said so, with the profile's name */
  creds = get_credentials (GK_CREDENTIAL_SOURCE (source), &error);
  g_assert_null (creds);
  g_assert_error (error, GK_ACCESS_KEY_ERROR, GK_ACCESS_KEY_ERROR_NO_SECRET);
  g_assert_nonnull (strstr (error->message, "“partner”"));
  g_clear_error (&error);

  /* the key ID pasted in the secret's place is refused, and not stored */
  g_assert_false (store_secret (source, "AKIAIOSFODNN7EXAMPLE", &error));
  g_assert_error (error, GK_ACCESS_KEY_ERROR, GK_ACCESS_KEY_ERROR_INVALID_SECRET);
  g_assert_null (strstr (error->message, "AKIAIOSFODNN7EXAMPLE"));
  g_clear_error (&error);

  g_assert_true (store_secret (source, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", &error));
  g_assert_no_error (error);
  creds = get_credentials (GK_CREDENTIAL_SOURCE (source), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gk_credentials_get_access_key_id (creds), ==, "AKIAIOSFODNN7EXAMPLE");
  g_assert_cmpstr (gk_credentials_get_secret_access_key (creds), ==, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  /* a user's long-term key: no session token, no expiry */
  g_assert_null (gk_credentials_get_session_token (creds));
  g_assert_cmpint (gk_credentials_get_expiration (creds), ==, 0);
  g_clear_pointer (&creds, gk_credentials_unref);

  gk_access_key_source_delete_secret_async (source, NULL, gk_test_store_result_cb, &result);
  g_assert_true (gk_access_key_source_delete_secret_finish (source, gk_test_wait_for_result (&result), &error));
  creds = get_credentials (GK_CREDENTIAL_SOURCE (source), &error);
  g_assert_null (creds);
  g_assert_error (error, GK_ACCESS_KEY_ERROR, GK_ACCESS_KEY_ERROR_NO_SECRET);
}

/* ---- opening a profile's source --------------------------------------------- */

static void
save_profile (GkProfileStore *store,
              const char     *name,
              const char     *json)
{
  g_autoptr(GkProfile) profile = profile_from_json (name, json);
  g_autoptr(GError) error = NULL;

  g_assert_true (gk_profile_store_save (store, profile, TRUE, &error));
  g_assert_no_error (error);
}

static void
test_open_each_kind (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gk-test-sources-XXXXXX", NULL);
  g_autoptr(GkProfileStore) store = gk_profile_store_new (dir);
  g_autoptr(GkKeyring) keyring = gk_keyring_new_memory_only ();
  g_autoptr(GkProfile) ar = NULL;
  g_autoptr(GkProfile) loop = NULL;
  g_autoptr(GkCredentialSource) source = NULL;
  g_autoptr(GError) error = NULL;

  save_profile (store, "partner", "{\"source\":\"access-key\",\"access_key_id\":\"AKIAIOSFODNN7EXAMPLE\"}");
  save_profile (store, "ec2", "{\"source\":\"instance-profile\"}");
  save_profile (store, "seqera", "{\"source\":\"assume-role\",\"role_arn\":\"arn:aws:iam::123456789012:role/R\","
                                 "\"source_profile\":\"partner\"}");
  save_profile (store, "a", "{\"source\":\"assume-role\",\"role_arn\":\"arn:aws:iam::123456789012:role/R\","
                            "\"source_profile\":\"b\"}");
  save_profile (store, "b", "{\"source\":\"assume-role\",\"role_arn\":\"arn:aws:iam::123456789012:role/R\","
                            "\"source_profile\":\"a\"}");

  /* a role over its source profile's own source */
  ar = gk_profile_store_load (store, "seqera", &error);
  source = gk_sources_open_for_profile (store, ar, keyring, &error);
  g_assert_no_error (error);
  g_assert_true (GK_IS_ASSUME_ROLE_SOURCE (source));
  g_assert_true (GK_IS_ACCESS_KEY_SOURCE (gk_assume_role_source_get_source (GK_ASSUME_ROLE_SOURCE (source))));
  g_clear_object (&source);

  /* source profiles that lead back are named, not followed for ever */
  loop = gk_profile_store_load (store, "a", &error);
  source = gk_sources_open_for_profile (store, loop, keyring, &error);
  g_assert_null (source);
  g_assert_error (error, GK_SOURCES_ERROR, GK_SOURCES_ERROR_CHAIN);
  g_assert_nonnull (strstr (error->message, "leads back"));

  remove_tree (dir);
}

/* ---- a new profile from a face's fields ------------------------------------- */

#define SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

static void
test_source_profile_built_from_fields (void)
{
  const char * const tags[] = { "lab", "genomics", NULL };
  const GkSourceProfileFields role = {
    .source = GK_PROFILE_SOURCE_ASSUME_ROLE,
    .role_arn = "arn:aws:iam::123456789012:role/SeqeraAccess",
    .external_id = "seqera-7f3a",
    .source_profile = "partner",
    .duration_seconds = 900,
    .tags = tags,
    .role_session_name = "",     /* a window's empty field: unset */
    .access_key_id = "AKIAIOSFODNN7EXAMPLE", /* another source's field: not used */
    .region = "eu-west-2",
    .buckets = " lab-data , ,shared/run1 ",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) profile = gk_source_profile_build ("seqera", &role, &error);
  g_autoptr(JsonObject) saved = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (gk_profile_get_source (profile), ==, GK_PROFILE_SOURCE_ASSUME_ROLE);
  g_assert_cmpstr (gk_profile_get_external_id (profile), ==, "seqera-7f3a");
  g_assert_null (gk_profile_get_role_session_name (profile));
  g_assert_cmpuint (gk_profile_get_duration_seconds (profile), ==, 900);
  g_assert_cmpstr (gk_profile_get_session_tags (profile)[1], ==, "genomics");
  g_assert_cmpstr (gk_profile_get_region (profile), ==, "eu-west-2");
  g_assert_cmpuint (g_strv_length ((GStrv) gk_profile_get_buckets (profile)), ==, 2);
  g_assert_cmpstr (gk_profile_get_buckets (profile)[1], ==, "shared/run1");
  saved = gk_profile_to_json (profile);
  g_assert_false (json_object_has_member (saved, "access_key_id"));
}

static void
test_source_profile_bad_field_named (void)
{
  const GkSourceProfileFields key = { .source = GK_PROFILE_SOURCE_ACCESS_KEY, .access_key_id = "my key" };
  const GkSourceProfileFields role = { .source = GK_PROFILE_SOURCE_ASSUME_ROLE, .source_profile = "partner" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GkProfile) profile = gk_source_profile_build ("partner", &key, &error);

  /* the profile's own checks, naming the key */
  g_assert_null (profile);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_INVALID);
  g_assert_cmpstr (gk_profile_error_get_key (error), ==, "access_key_id");
  g_clear_error (&error);
  profile = gk_source_profile_build ("seqera", &role, &error);
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_MISSING_KEY);
  g_assert_cmpstr (gk_profile_error_get_key (error), ==, "role_arn");
}

static gboolean
add_profile (GkProfileStore           *store,
             GkKeyring                *keyring,
             GkProfile                *profile,
             const char               *secret,
             GkSourceProfileAddFlags   flags,
             GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_source_profile_add_async (store, keyring, profile, secret, flags, NULL, gk_test_store_result_cb, &result);
  return gk_source_profile_add_finish (gk_test_wait_for_result (&result), error);
}

static char *
keyring_lookup (GkKeyring     *keyring,
                const char    *profile,
                GkKeyringKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;

  gk_keyring_lookup_async (keyring, profile, kind, NULL, gk_test_store_result_cb, &result);
  return gk_keyring_lookup_finish (keyring, gk_test_wait_for_result (&result), NULL);
}

static void
test_source_profile_access_key_added (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gk-test-sources-XXXXXX", NULL);
  g_autoptr(GkProfileStore) store = gk_profile_store_new (dir);
  g_autoptr(GkKeyring) keyring = gk_keyring_new_memory_only ();
  const GkSourceProfileFields fields = {
    .source = GK_PROFILE_SOURCE_ACCESS_KEY,
    .access_key_id = "AKIAIOSFODNN7EXAMPLE",
  };
  g_autoptr(GkProfile) profile = gk_source_profile_build ("partner", &fields, NULL);
  g_autoptr(GkProfile) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "profiles", "partner.json", NULL);
  g_autofree char *file = NULL;
  g_autofree char *stored = NULL;

  /* what cannot be a secret: refused, and no profile saved without one */
  g_assert_false (add_profile (store, keyring, profile, "not a secret", GK_SOURCE_PROFILE_ADD_NONE, &error));
  g_assert_error (error, GK_ACCESS_KEY_ERROR, GK_ACCESS_KEY_ERROR_INVALID_SECRET);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* a keyring that keeps it only in memory: refused when it must last */
  g_assert_false (add_profile (store, keyring, profile, SECRET, GK_SOURCE_PROFILE_ADD_LASTING_SECRET, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* the window's case: this run's keyring is fine */
  g_assert_true (add_profile (store, keyring, profile, SECRET, GK_SOURCE_PROFILE_ADD_NONE, &error));
  g_assert_no_error (error);
  loaded = gk_profile_store_load (store, "partner", &error);
  g_assert_cmpstr (gk_profile_get_access_key_id (loaded), ==, "AKIAIOSFODNN7EXAMPLE");
  stored = keyring_lookup (keyring, "partner", GK_KEYRING_KIND_ACCESS_KEY_SECRET);
  g_assert_cmpstr (stored, ==, SECRET);
  /* the secret is in the keyring item, nowhere in the profile file */
  g_assert_true (g_file_get_contents (path, &file, NULL, NULL));
  g_assert_nonnull (strstr (file, "AKIAIOSFODNN7EXAMPLE"));
  g_assert_null (strstr (file, SECRET));

  /* the name is taken now */
  g_assert_false (add_profile (store, keyring, profile, SECRET, GK_SOURCE_PROFILE_ADD_NONE, &error));
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_EXISTS);
  g_assert_cmpstr (gk_profile_error_get_profile (error), ==, "partner");
  g_clear_error (&error);
  g_assert_true (add_profile (store, keyring, profile, SECRET, GK_SOURCE_PROFILE_ADD_REPLACE, &error));

  remove_tree (dir);
}

static void
test_source_profile_role_needs_its_source (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gk-test-sources-XXXXXX", NULL);
  g_autoptr(GkProfileStore) store = gk_profile_store_new (dir);
  g_autoptr(GkKeyring) keyring = gk_keyring_new_memory_only ();
  const GkSourceProfileFields role = {
    .source = GK_PROFILE_SOURCE_ASSUME_ROLE,
    .role_arn = "arn:aws:iam::123456789012:role/R",
    .source_profile = "ec2",
  };
  const GkSourceProfileFields ec2 = { .source = GK_PROFILE_SOURCE_INSTANCE_PROFILE };
  g_autoptr(GkProfile) profile = gk_source_profile_build ("seqera", &role, NULL);
  g_autoptr(GkProfile) source = gk_source_profile_build ("ec2", &ec2, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (add_profile (store, keyring, profile, NULL, GK_SOURCE_PROFILE_ADD_NONE, &error));
  g_assert_error (error, GK_PROFILE_ERROR, GK_PROFILE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“ec2”"));
  g_clear_error (&error);

  g_assert_true (add_profile (store, keyring, source, NULL, GK_SOURCE_PROFILE_ADD_NONE, &error));
  g_assert_true (add_profile (store, keyring, profile, NULL, GK_SOURCE_PROFILE_ADD_NONE, &error));
  g_assert_no_error (error);

  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sources/imds/credentials-parsed", test_imds_credentials_parsed);
  g_test_add_func ("/sources/imds/credentials-refused-and-said-why", test_imds_credentials_refused);
  g_test_add ("/sources/instance-profile/imdsv2-token-then-role-then-credentials", Imds, NULL,
              imds_setup, test_instance_profile_imdsv2, imds_teardown);
  g_test_add ("/sources/instance-profile/expired-token-renewed-once", Imds, NULL,
              imds_setup, test_instance_profile_token_renewed_once, imds_teardown);
  g_test_add ("/sources/instance-profile/no-role-attached-said", Imds, NULL,
              imds_setup, test_instance_profile_no_role, imds_teardown);
  g_test_add ("/sources/instance-profile/disabled-by-the-environment", Imds, NULL,
              imds_setup, test_instance_profile_disabled, imds_teardown);
  g_test_add_func ("/sources/instance-profile/refused-port-is-not-ec2", test_instance_profile_not_ec2);
  g_test_add_func ("/sources/access-key/secret-plausible", test_access_key_secret_plausible);
  g_test_add_func ("/sources/access-key/secret-only-in-the-keyring", test_access_key_from_keyring);
  g_test_add_func ("/sources/open/each-kind-and-circles-refused", test_open_each_kind);
  g_test_add_func ("/sources/new-profile/built-from-fields", test_source_profile_built_from_fields);
  g_test_add_func ("/sources/new-profile/bad-field-named", test_source_profile_bad_field_named);
  g_test_add_func ("/sources/new-profile/access-key-secret-in-the-keyring-only",
                   test_source_profile_access_key_added);
  g_test_add_func ("/sources/new-profile/role-needs-its-source-profile",
                   test_source_profile_role_needs_its_source);

  return g_test_run ();
}
