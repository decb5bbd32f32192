/* gk-oauth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

#include "gk-oauth.h"

struct _GkOAuthRequest
{
  gatomicrefcount ref_count;
  char *code_verifier;
  char *code_challenge;
  char *state;
  char *nonce;
};

G_DEFINE_QUARK (gk-oauth-error-quark, gk_oauth_error)

G_DEFINE_BOXED_TYPE (GkOAuthRequest, gk_oauth_request, gk_oauth_request_ref, gk_oauth_request_unref)

/* 32 random bytes give a 43-character verifier (the RFC's minimum, 256 bits)
 * and a state and nonce far above the 128 bits the design asks for. */
#define RANDOM_BYTES 32

/* Parameters a callback may carry at most this often: once. Anything larger
 * than this is not a redirect from the identity provider. */
#define MAX_QUERY_LENGTH 8192

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      OPENSSL_cleanse (*str, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

/**
 * gk_oauth_base64url_encode:
 * @data: bytes
 * @length: how many
 *
 * Returns: (transfer full): base64url text without padding
 */
char *
gk_oauth_base64url_encode (const guint8 *data,
                           gsize         length)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  GString *out = g_string_sized_new ((length * 4) / 3 + 4);
  gsize i;

  for (i = 0; i + 2 < length; i += 3)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8) | data[i + 2];

      g_string_append_c (out, alphabet[(v >> 18) & 63]);
      g_string_append_c (out, alphabet[(v >> 12) & 63]);
      g_string_append_c (out, alphabet[(v >> 6) & 63]);
      g_string_append_c (out, alphabet[v & 63]);
    }

  if (length - i == 1)
    {
      guint32 v = (guint32) data[i] << 16;

      g_string_append_c (out, alphabet[(v >> 18) & 63]);
      g_string_append_c (out, alphabet[(v >> 12) & 63]);
    }
  else if (length - i == 2)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8);

      g_string_append_c (out, alphabet[(v >> 18) & 63]);
      g_string_append_c (out, alphabet[(v >> 12) & 63]);
      g_string_append_c (out, alphabet[(v >> 6) & 63]);
    }

  return g_string_free (out, FALSE);
}

static char *
generate_random (GError **error)
{
  guint8 bytes[RANDOM_BYTES];
  char *text;

  if (RAND_bytes (bytes, sizeof bytes) != 1)
    {
      g_set_error_literal (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_RANDOM,
                           _("The system random number generator failed. Try again; if it keeps failing, restart the computer."));
      return NULL;
    }

  text = gk_oauth_base64url_encode (bytes, sizeof bytes);
  OPENSSL_cleanse (bytes, sizeof bytes);
  return text;
}

/**
 * gk_oauth_generate_code_verifier:
 *
 * Returns: (transfer full): a PKCE code verifier, 43 characters from 256
 *   random bits (RFC 7636 section 4.1)
 */
char *
gk_oauth_generate_code_verifier (GError **error)
{
  return generate_random (error);
}

/**
 * gk_oauth_generate_state:
 *
 * Returns: (transfer full): an unguessable `state` (256 bits)
 */
char *
gk_oauth_generate_state (GError **error)
{
  return generate_random (error);
}

/**
 * gk_oauth_generate_nonce:
 *
 * Returns: (transfer full): an unguessable OpenID Connect `nonce` (256 bits)
 */
char *
gk_oauth_generate_nonce (GError **error)
{
  return generate_random (error);
}

/**
 * gk_oauth_code_verifier_is_valid:
 *
 * Returns: whether @code_verifier has the length and characters RFC 7636
 *   section 4.1 allows
 */
gboolean
gk_oauth_code_verifier_is_valid (const char *code_verifier)
{
  gsize len;

  if (code_verifier == NULL)
    return FALSE;

  len = strlen (code_verifier);
  if (len < GK_OAUTH_VERIFIER_MIN_LENGTH || len > GK_OAUTH_VERIFIER_MAX_LENGTH)
    return FALSE;

  for (const char *p = code_verifier; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_' && *p != '~')
        return FALSE;
    }

  return TRUE;
}

/**
 * gk_oauth_compute_code_challenge:
 * @code_verifier: a valid verifier
 *
 * Returns: (transfer full): BASE64URL(SHA256(ASCII(code_verifier))), the S256
 *   challenge of RFC 7636 section 4.2
 */
char *
gk_oauth_compute_code_challenge (const char *code_verifier)
{
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;

  g_return_val_if_fail (code_verifier != NULL, NULL);

  if (EVP_Digest (code_verifier, strlen (code_verifier), digest, &digest_len,
                  EVP_sha256 (), NULL) != 1)
    return NULL;

  return gk_oauth_base64url_encode (digest, digest_len);
}

/**
 * gk_oauth_request_new:
 *
 * Makes the secrets for one sign-in attempt from OpenSSL's RAND_bytes.
 *
 * Returns: (transfer full): a new request, or %NULL if the random generator failed
 */
GkOAuthRequest *
gk_oauth_request_new (GError **error)
{
  g_autofree char *verifier = NULL;
  g_autofree char *state = NULL;
  g_autofree char *nonce = NULL;
  GkOAuthRequest *self;

  if ((verifier = gk_oauth_generate_code_verifier (error)) == NULL ||
      (state = gk_oauth_generate_state (error)) == NULL ||
      (nonce = gk_oauth_generate_nonce (error)) == NULL)
    return NULL;

  self = gk_oauth_request_new_from_values (verifier, state, nonce);
  wipe_string (&verifier);
  wipe_string (&state);
  wipe_string (&nonce);
  return self;
}

/**
 * gk_oauth_request_new_from_values:
 * @code_verifier: a valid PKCE verifier
 * @state: the state
 * @nonce: the nonce
 *
 * For tests and for resuming: a request with known values.
 *
 * Returns: (transfer full): a new request
 */
GkOAuthRequest *
gk_oauth_request_new_from_values (const char *code_verifier,
                                  const char *state,
                                  const char *nonce)
{
  GkOAuthRequest *self;

  g_return_val_if_fail (gk_oauth_code_verifier_is_valid (code_verifier), NULL);
  g_return_val_if_fail (state != NULL && *state != '\0', NULL);
  g_return_val_if_fail (nonce != NULL && *nonce != '\0', NULL);

  self = g_new0 (GkOAuthRequest, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->code_verifier = g_strdup (code_verifier);
  self->code_challenge = gk_oauth_compute_code_challenge (code_verifier);
  self->state = g_strdup (state);
  self->nonce = g_strdup (nonce);
  return self;
}

GkOAuthRequest *
gk_oauth_request_ref (GkOAuthRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gk_oauth_request_unref (GkOAuthRequest *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      wipe_string (&self->code_verifier);
      wipe_string (&self->code_challenge);
      wipe_string (&self->state);
      wipe_string (&self->nonce);
      g_free (self);
    }
}

const char *
gk_oauth_request_get_code_verifier (const GkOAuthRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->code_verifier;
}

const char *
gk_oauth_request_get_code_challenge (const GkOAuthRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->code_challenge;
}

const char *
gk_oauth_request_get_state (const GkOAuthRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->state;
}

const char *
gk_oauth_request_get_nonce (const GkOAuthRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->nonce;
}

static void
append_param (GString    *url,
              gboolean   *first,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (url, *first ? '?' : '&');
  *first = FALSE;
  g_string_append (url, name);
  g_string_append_c (url, '=');
  g_string_append (url, escaped);
}

/* Profiles normally hand over the scope decoded ("email openid profile"), but
 * IGV's files hold it percent-encoded ("email%20openid%20profile") and a
 * caller may pass that on: decode once so it is not encoded twice. */
static char *
plain_scope (const char *scope)
{
  g_autofree char *decoded = NULL;
  g_auto(GStrv) words = NULL;
  GString *out;

  if (strchr (scope, '%') != NULL)
    decoded = g_uri_unescape_string (scope, NULL);
  if (decoded == NULL)
    decoded = g_strdup (scope);

  words = g_strsplit_set (decoded, " +", -1);
  out = g_string_new (NULL);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }

  return g_string_free (out, FALSE);
}

/**
 * gk_oauth_build_authorization_url:
 * @authorization_endpoint: the hosted UI's `/oauth2/authorize`
 * @client_id: the app client
 * @redirect_uri: exactly as registered
 * @scope: scopes separated by spaces (percent-encoded is accepted too)
 * @state: the request's state
 * @nonce: the request's nonce
 * @code_challenge: the S256 challenge
 * @identity_provider: (nullable): Cognito's `identity_provider` to skip the
 *   provider choice, or %NULL
 *
 * Returns: (transfer full): the URL to open in the browser
 */
char *
gk_oauth_build_authorization_url (const char *authorization_endpoint,
                                  const char *client_id,
                                  const char *redirect_uri,
                                  const char *scope,
                                  const char *state,
                                  const char *nonce,
                                  const char *code_challenge,
                                  const char *identity_provider)
{
  g_autofree char *scopes = NULL;
  gboolean first;
  GString *url;

  g_return_val_if_fail (authorization_endpoint != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (redirect_uri != NULL, NULL);
  g_return_val_if_fail (scope != NULL, NULL);
  g_return_val_if_fail (state != NULL, NULL);
  g_return_val_if_fail (nonce != NULL, NULL);
  g_return_val_if_fail (code_challenge != NULL, NULL);

  scopes = plain_scope (scope);
  url = g_string_new (authorization_endpoint);
  first = strchr (authorization_endpoint, '?') == NULL;

  append_param (url, &first, "response_type", "code");
  append_param (url, &first, "client_id", client_id);
  append_param (url, &first, "redirect_uri", redirect_uri);
  append_param (url, &first, "scope", scopes);
  append_param (url, &first, "state", state);
  append_param (url, &first, "nonce", nonce);
  append_param (url, &first, "code_challenge", code_challenge);
  append_param (url, &first, "code_challenge_method", "S256");
  if (identity_provider != NULL && *identity_provider != '\0')
    append_param (url, &first, "identity_provider", identity_provider);

  return g_string_free (url, FALSE);
}

/**
 * gk_oauth_build_authorization_url_for_profile:
 * @profile: the lab's profile
 * @request: this attempt's secrets
 * @identity_provider: (nullable): see gk_oauth_build_authorization_url()
 *
 * Returns: (transfer full): the URL to open in the browser
 */
char *
gk_oauth_build_authorization_url_for_profile (GkProfile            *profile,
                                              const GkOAuthRequest *request,
                                              const char           *identity_provider)
{
  const char *scope;

  g_return_val_if_fail (GK_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  scope = gk_profile_get_scope (profile);
  return gk_oauth_build_authorization_url (gk_profile_get_authorization_endpoint (profile),
                                           gk_profile_get_client_id (profile),
                                           gk_profile_get_redirect_uri (profile),
                                           scope != NULL ? scope : GK_PROFILE_DEFAULT_SCOPE,
                                           request->state,
                                           request->nonce,
                                           request->code_challenge,
                                           identity_provider);
}

/**
 * gk_oauth_build_logout_url:
 * @logout_endpoint: the hosted UI's `/logout`
 * @client_id: the app client
 * @logout_uri: (nullable): a registered sign-out URL to return to
 *
 * Returns: (transfer full): the hosted UI logout URL, which ends the
 *   browser's session with the user pool
 */
char *
gk_oauth_build_logout_url (const char *logout_endpoint,
                           const char *client_id,
                           const char *logout_uri)
{
  gboolean first;
  GString *url;

  g_return_val_if_fail (logout_endpoint != NULL, NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  url = g_string_new (logout_endpoint);
  first = strchr (logout_endpoint, '?') == NULL;
  append_param (url, &first, "client_id", client_id);
  if (logout_uri != NULL && *logout_uri != '\0')
    append_param (url, &first, "logout_uri", logout_uri);

  return g_string_free (url, FALSE);
}

/**
 * gk_oauth_host_is_loopback_name:
 * @host: (nullable): a host as a URI holds it
 *
 * The names a redirect to this computer arrives under: the identity
 * provider sends the browser to the registered `localhost`, and a user may
 * have typed 127.0.0.1 or [::1] instead.
 *
 * Returns: whether @host names this computer's loopback interface
 */
gboolean
gk_oauth_host_is_loopback_name (const char *host)
{
  return host != NULL &&
         (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_equal (host, "127.0.0.1") ||
          g_str_equal (host, "::1") || g_str_equal (host, "[::1]"));
}

static int
uri_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

/**
 * gk_oauth_parse_callback_uri:
 * @address: what the user pasted: the whole address the browser ended on
 * @redirect_uri: the profile's redirect URI
 * @expected_state: this attempt's state
 * @out_code: (out) (transfer full): the authorization code
 * @error: a #GK_OAUTH_ERROR
 *
 * Signing in away from the desktop: the browser on another computer ends
 * on `http://localhost:60151/oauthCallback?code=…&state=…`, which it cannot
 * reach, and the user pastes that address back. It must be this sign-in's
 * return address (the redirect URI's scheme, port and path, on a loopback
 * name), and its query passes the same checks as the listener's callback
 * (gk_oauth_parse_callback(): the state first, in constant time). Spaces,
 * quotes or angle brackets around it are dropped, and an address copied
 * without its `http://` gets the redirect URI's.
 *
 * %GK_OAUTH_ERROR_STATE_MISMATCH and %GK_OAUTH_ERROR_MALFORMED_CALLBACK
 * mean the address is not this sign-in's answer: the sign-in may go on
 * waiting for the right one, and the message says which to paste. Any
 * other error is the identity provider's own answer to this sign-in.
 *
 * Returns: %TRUE with the code, or %FALSE with @error set
 */
gboolean
gk_oauth_parse_callback_uri (const char  *address,
                             const char  *redirect_uri,
                             const char  *expected_state,
                             char       **out_code,
                             GError     **error)
{
  g_autoptr(GUri) redirect = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  char *start;
  gsize len;

  g_return_val_if_fail (redirect_uri != NULL, FALSE);
  g_return_val_if_fail (expected_state != NULL, FALSE);
  g_return_val_if_fail (out_code != NULL, FALSE);

  *out_code = NULL;
  redirect = g_uri_parse (redirect_uri, G_URI_FLAGS_ENCODED, NULL);
  g_return_val_if_fail (redirect != NULL, FALSE);

  text = g_strstrip (g_strdup (address != NULL ? address : ""));
  start = text;
  len = strlen (start);
  /* From an e-mail or a chat: <…>, "…" or '…' around the address. */
  while (len >= 2 && strchr ("<\"'", start[0]) != NULL &&
         start[len - 1] == (start[0] == '<' ? '>' : start[0]))
    {
      start[len - 1] = '\0';
      start++;
      len -= 2;
    }
  if (*start == '\0')
    {
      g_set_error_literal (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK,
                           _("Nothing was pasted. Paste the whole address the browser ends on after you sign in."));
      return FALSE;
    }
  if (strlen (start) > MAX_QUERY_LENGTH + 1024)
    {
      g_set_error_literal (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK,
                           _("That is too long to be the address the sign-in ends on. Paste the address from the browser’s address bar."));
      return FALSE;
    }

  /* Some browsers hide the scheme in the address bar, and a copy from it
   * can come without one. */
  if (strstr (start, "://") == NULL)
    {
      g_autofree char *with_scheme = g_strconcat (g_uri_get_scheme (redirect), "://", start, NULL);

      uri = g_uri_parse (with_scheme, G_URI_FLAGS_ENCODED, NULL);
    }
  else
    uri = g_uri_parse (start, G_URI_FLAGS_ENCODED, NULL);

  /* An address holds no spaces; a sentence around it is not one. */
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      strpbrk (start, " \t\r\n") != NULL)
    {
      g_set_error (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK,
                   _("That is not a web address. Paste the whole address the browser ends on; it starts with %s?code="),
                   redirect_uri);
      return FALSE;
    }

  /* The link the user was meant to open, pasted back by mistake: an
   * authorization request, which a callback never is. */
  if (g_uri_get_query (uri) != NULL && strstr (g_uri_get_query (uri), "response_type=") != NULL &&
      strstr (g_uri_get_query (uri), "redirect_uri=") != NULL)
    {
      g_set_error_literal (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK,
                           _("That is the sign-in link itself. Open it in a browser, sign in, then paste the address the browser ends on."));
      return FALSE;
    }
  if (!gk_oauth_host_is_loopback_name (g_uri_get_host (uri)))
    {
      g_set_error (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK,
                   _("That is not the address the sign-in returns to. After you sign in, the browser ends on a page at %s that it cannot open; paste that page’s whole address."),
                   redirect_uri);
      return FALSE;
    }

  /* The same comparison the identity provider makes: exact, and the path
   * case-sensitive. */
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), g_uri_get_scheme (redirect)) != 0 ||
      uri_port (uri) != uri_port (redirect) ||
      !g_str_equal (g_uri_get_path (uri), g_uri_get_path (redirect)))
    {
      g_set_error (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK,
                   _("That address is not this sign-in’s return address (%s): it may be from another program’s sign-in. Paste the address the browser ends on after signing in with the link above."),
                   redirect_uri);
      return FALSE;
    }

  if (gk_oauth_parse_callback (g_uri_get_query (uri), expected_state, out_code, &local_error))
    return TRUE;

  /* The listener's words end in "Sign in again"; here the sign-in goes on
   * waiting for the right address, so say that instead. */
  if (g_error_matches (local_error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_STATE_MISMATCH))
    g_set_error_literal (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_STATE_MISMATCH,
                         _("That address is from another sign-in (its state does not match this one’s), perhaps an earlier attempt or another tab. Sign in with the link above and paste the address the browser ends on then."));
  else if (g_error_matches (local_error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK))
    g_set_error_literal (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK,
                         _("That address holds no readable sign-in answer; it may have been cut short. Copy the whole address from the browser’s address bar and paste it again."));
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * gk_oauth_state_equal:
 *
 * Compares two states in constant time (for equal lengths), so the time a
 * refusal takes says nothing about how much of a guess was right.
 *
 * Returns: whether both are non-%NULL and equal
 */
gboolean
gk_oauth_state_equal (const char *a,
                      const char *b)
{
  gsize len_a, len_b;

  if (a == NULL || b == NULL)
    return FALSE;

  len_a = strlen (a);
  len_b = strlen (b);
  if (len_a != len_b || len_a == 0)
    return FALSE;

  return CRYPTO_memcmp (a, b, len_a) == 0;
}

/* Only printable ASCII of an identity provider's description reaches the
 * user, and not much of it. */
static char *
sanitize_description (const char *description)
{
  GString *out;

  if (description == NULL || *description == '\0')
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = description; *p != '\0' && out->len < 200; p++)
    g_string_append_c (out, (*p >= 0x20 && *p < 0x7f) ? *p : '?');

  return g_string_free (out, FALSE);
}

/**
 * gk_oauth_error_from_response:
 * @error_code: the `error` parameter (RFC 6749 section 4.1.2.1)
 * @error_description: (nullable): the `error_description`
 *
 * Returns: (transfer full): a #GK_OAUTH_ERROR that says what to do
 */
GError *
gk_oauth_error_from_response (const char *error_code,
                              const char *error_description)
{
  g_autofree char *detail = sanitize_description (error_description);
  g_autofree char *message = NULL;
  GkOAuthError code;

  g_return_val_if_fail (error_code != NULL, NULL);

  if (g_str_equal (error_code, "access_denied"))
    {
      code = GK_OAUTH_ERROR_ACCESS_DENIED;
      message = g_strdup (_("Sign-in was cancelled or this account may not use Genokey. Sign in again, or ask the lab’s administrator for access."));
    }
  else if (g_str_equal (error_code, "unauthorized_client"))
    {
      code = GK_OAUTH_ERROR_UNAUTHORIZED_CLIENT;
      message = g_strdup (_("The app client may not use the authorization code flow. Ask the administrator to enable “Authorization code grant” for client_id in the user pool."));
    }
  else if (g_str_equal (error_code, "invalid_request") ||
           g_str_equal (error_code, "invalid_scope") ||
           g_str_equal (error_code, "unsupported_response_type"))
    {
      code = GK_OAUTH_ERROR_INVALID_REQUEST;
      message = g_strdup (_("The sign-in page refused the request. Check client_id, redirect_uri and scope in the profile against the app client’s settings."));
    }
  else if (g_str_equal (error_code, "server_error") ||
           g_str_equal (error_code, "temporarily_unavailable"))
    {
      code = GK_OAUTH_ERROR_SERVER_ERROR;
      message = g_strdup (_("The sign-in service had a problem. Wait a minute and sign in again."));
    }
  else
    {
      code = GK_OAUTH_ERROR_FAILED;
      message = g_strdup (_("Sign-in failed. Sign in again; if it keeps failing, ask the lab’s administrator."));
    }

  if (detail != NULL)
    /* Translators: the first %s is a sentence, the second the identity provider's own words */
    return g_error_new (GK_OAUTH_ERROR, code, _("%s (The service said: “%s”.)"), message, detail);

  return g_error_new_literal (GK_OAUTH_ERROR, code, message);
}

static gboolean
take_param (char **slot,
            char  *value)
{
  if (*slot != NULL)
    {
      g_free (value);
      return FALSE;
    }

  *slot = value;
  return TRUE;
}

/**
 * gk_oauth_parse_callback:
 * @query: (nullable): the redirect's query, without the `?`
 * @expected_state: this attempt's state
 * @out_code: (out) (transfer full): the authorization code
 * @error: a #GK_OAUTH_ERROR
 *
 * Reads `code`, `state`, `error` and `error_description`. The state is
 * checked first, in constant time: a callback whose state is missing,
 * repeated or different is not ours, whatever else it says. A repeated
 * parameter makes the callback ambiguous and is refused.
 *
 * Returns: %TRUE with the code, or %FALSE with the identity provider's error
 *   or why the callback is refused
 */
gboolean
gk_oauth_parse_callback (const char  *query,
                         const char  *expected_state,
                         char       **out_code,
                         GError     **error)
{
  g_auto(GStrv) pairs = NULL;
  g_autofree char *code = NULL;
  g_autofree char *state = NULL;
  g_autofree char *error_code = NULL;
  g_autofree char *error_description = NULL;
  gboolean repeated = FALSE;
  gboolean malformed = FALSE;

  g_return_val_if_fail (expected_state != NULL, FALSE);
  g_return_val_if_fail (out_code != NULL, FALSE);

  *out_code = NULL;

  if (query == NULL || *query == '\0')
    {
      g_set_error_literal (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_STATE_MISMATCH,
                           _("The sign-in answer carried no state, so it is not from this sign-in. Sign in again."));
      return FALSE;
    }

  if (strlen (query) > MAX_QUERY_LENGTH)
    {
      g_set_error_literal (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK,
                           _("The sign-in answer was too long to be real. Sign in again."));
      return FALSE;
    }

  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq;
      g_autofree char *name = NULL;
      g_autofree char *raw = NULL;
      char *value;
      char **slot = NULL;

      if (*pairs[i] == '\0')
        continue;

      eq = strchr (pairs[i], '=');
      name = g_strndup (pairs[i], eq != NULL ? (gsize) (eq - pairs[i]) : strlen (pairs[i]));
      raw = g_strdup (eq != NULL ? eq + 1 : "");
      g_strdelimit (raw, "+", ' ');

      if (g_str_equal (name, "code"))
        slot = &code;
      else if (g_str_equal (name, "state"))
        slot = &state;
      else if (g_str_equal (name, "error"))
        slot = &error_code;
      else if (g_str_equal (name, "error_description"))
        slot = &error_description;
      else
        continue;

      value = g_uri_unescape_string (raw, NULL);
      if (value == NULL)
        {
          malformed = TRUE;
          continue;
        }

      if (!take_param (slot, value))
        repeated = TRUE;
    }

  if (repeated || state == NULL || !gk_oauth_state_equal (state, expected_state))
    {
      g_set_error_literal (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_STATE_MISMATCH,
                           _("The sign-in answer is not from this sign-in (its state does not match). Sign in again."));
      wipe_string (&code);
      return FALSE;
    }

  if (malformed)
    {
      g_set_error_literal (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK,
                           _("The sign-in answer could not be read. Sign in again."));
      wipe_string (&code);
      return FALSE;
    }

  if (error_code != NULL)
    {
      g_propagate_error (error, gk_oauth_error_from_response (error_code, error_description));
      wipe_string (&code);
      return FALSE;
    }

  if (code == NULL || *code == '\0')
    {
      g_set_error_literal (error, GK_OAUTH_ERROR, GK_OAUTH_ERROR_MALFORMED_CALLBACK,
                           _("The sign-in answer carried no authorization code. Sign in again."));
      return FALSE;
    }

  *out_code = g_steal_pointer (&code);
  return TRUE;
}
