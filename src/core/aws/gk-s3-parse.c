/* gk-s3-parse.c: the pure half of gk-s3 — names, s3:// URIs, addressing,
 * S3's XML answers and its error codes
 *
 * XML is read with GMarkup, which knows no DTDs and expands only the five
 * predefined entities and character references; a DOCTYPE is refused
 * outright anyway, since S3 never sends one and an entity-laden body can only
 * come from something that is not S3.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-aws-error.h"
#include "gk-s3.h"

#define MAX_XML_DEPTH 16

G_DEFINE_QUARK (gk-s3-error-quark, gk_s3_error)

void
gk_s3_bucket_free (GkS3Bucket *bucket)
{
  if (bucket == NULL)
    return;
  g_free (bucket->name);
  g_free (bucket->prefix);
  g_free (bucket);
}

void
gk_s3_object_free (GkS3Object *object)
{
  if (object == NULL)
    return;
  g_free (object->key);
  g_free (object->etag);
  g_free (object->storage_class);
  g_free (object->content_type);
  g_free (object);
}

void
gk_s3_list_page_free (GkS3ListPage *page)
{
  if (page == NULL)
    return;
  g_free (page->bucket);
  g_free (page->prefix);
  g_clear_pointer (&page->folders, g_ptr_array_unref);
  g_clear_pointer (&page->objects, g_ptr_array_unref);
  g_free (page->next_token);
  g_free (page);
}

void
gk_s3_cors_rule_free (GkS3CorsRule *rule)
{
  if (rule == NULL)
    return;
  g_strfreev (rule->allowed_origins);
  g_strfreev (rule->allowed_methods);
  g_strfreev (rule->allowed_headers);
  g_strfreev (rule->expose_headers);
  g_free (rule);
}

/* ---- names and URIs --------------------------------------------------- */

static gboolean
looks_like_ipv4 (const char *name)
{
  int dots = 0;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '.')
        dots++;
      else if (!g_ascii_isdigit (*p))
        return FALSE;
    }
  return dots == 3;
}

/**
 * gk_s3_bucket_name_is_valid:
 *
 * S3's general-purpose bucket naming rules: 3–63 characters of a-z, 0-9,
 * '.' and '-', starting and ending with a letter or digit, no "..", not an
 * IP address, none of the reserved prefixes and suffixes.
 */
gboolean
gk_s3_bucket_name_is_valid (const char  *name,
                            GError     **error)
{
  gsize len = name != NULL ? strlen (name) : 0;
  const char *why = NULL;

  if (len < 3 || len > 63)
    why = _("it must be 3 to 63 characters long");
  else if (!(g_ascii_islower (name[0]) || g_ascii_isdigit (name[0]))
           || !(g_ascii_islower (name[len - 1]) || g_ascii_isdigit (name[len - 1])))
    why = _("it must start and end with a lower-case letter or a digit");
  else if (strstr (name, "..") != NULL || strstr (name, ".-") != NULL || strstr (name, "-.") != NULL)
    why = _("dots must not be next to another dot or a hyphen");
  else if (looks_like_ipv4 (name))
    why = _("it must not look like an IP address");
  else if (g_str_has_prefix (name, "xn--") || g_str_has_prefix (name, "sthree-")
           || g_str_has_suffix (name, "-s3alias") || g_str_has_suffix (name, "--ol-s3"))
    why = _("it uses a prefix or suffix that S3 reserves");
  else
    for (const char *p = name; *p != '\0'; p++)
      if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '.' || *p == '-'))
        {
          why = _("only lower-case letters, digits, dots and hyphens are allowed");
          break;
        }

  if (why != NULL)
    {
      g_autofree char *shown = name != NULL ? g_strescape (name, NULL) : g_strdup ("");

      g_set_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_BUCKET_NAME,
                   _("“%s” is not a valid S3 bucket name: %s. Check the s3:// address."),
                   shown, why);
      return FALSE;
    }
  return TRUE;
}

/**
 * gk_s3_key_is_valid:
 * @allow_empty: %TRUE for prefixes, where "" means the whole bucket
 *
 * Keys must be UTF-8 of at most 1024 bytes. Control characters are legal in
 * S3 but cannot survive XML listings or a line-per-link output, and in a lab
 * bucket they are always a mistake (a pasted line break), so they are refused.
 */
gboolean
gk_s3_key_is_valid (const char  *key,
                    gboolean     allow_empty,
                    GError     **error)
{
  gsize len = key != NULL ? strlen (key) : 0;

  if (len == 0 && !allow_empty)
    {
      g_set_error_literal (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY,
                           _("The S3 address names no object. Use s3://BUCKET/KEY."));
      return FALSE;
    }
  if (len > 1024)
    {
      g_set_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY,
                   _("The object key is %zu bytes long; S3 keys are at most 1024 bytes."),
                   (size_t) len);
      return FALSE;
    }
  if (!g_utf8_validate (key, len, NULL))
    {
      g_set_error_literal (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY,
                           _("The object key is not valid UTF-8. Check the s3:// address."));
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    if ((guchar) key[i] < 0x20 || key[i] == 0x7f)
      {
        g_set_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_KEY,
                     _("The object key contains a control character (byte 0x%02X at position %zu). Remove line breaks or tabs from the s3:// address."),
                     (guint) (guchar) key[i], (size_t) i);
        return FALSE;
      }
  return TRUE;
}

/**
 * gk_s3_parse_uri:
 * @bucket: (out): the bucket name
 * @key: (out): the key (possibly empty: the bucket itself)
 *
 * Splits `s3://BUCKET/KEY`. The key is taken literally (as `aws s3` does):
 * no percent-decoding, and `//`, `./` or `../` stay part of it.
 */
gboolean
gk_s3_parse_uri (const char  *uri,
                 char       **bucket,
                 char       **key,
                 GError     **error)
{
  const char *rest, *slash;
  g_autofree char *b = NULL;

  if (uri == NULL || g_ascii_strncasecmp (uri, "s3://", 5) != 0)
    {
      g_set_error_literal (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_URI,
                           _("Not an S3 address. Use s3://BUCKET/KEY."));
      return FALSE;
    }
  rest = uri + 5;
  slash = strchr (rest, '/');
  b = slash != NULL ? g_strndup (rest, slash - rest) : g_strdup (rest);
  if (!gk_s3_bucket_name_is_valid (b, error))
    return FALSE;
  if (!gk_s3_key_is_valid (slash != NULL ? slash + 1 : "", TRUE, error))
    return FALSE;
  *bucket = g_steal_pointer (&b);
  *key = g_strdup (slash != NULL ? slash + 1 : "");
  return TRUE;
}

/**
 * gk_s3_split_object_uri:
 * @bucket: (out caller-allocates): receives the bucket name
 * @key: (out): points into @uri, just after the bucket's `/`
 *
 * Splits `s3://BUCKET/KEY` without allocating, for streams of thousands of
 * addresses. Only the shape is checked (the bucket's name and the key are
 * checked where they are used, with the allow-list); unlike
 * gk_s3_parse_uri(), a key part is required, possibly empty.
 */
gboolean
gk_s3_split_object_uri (const char   *uri,
                        char          bucket[GK_S3_BUCKET_NAME_MAX + 1],
                        const char  **key,
                        GError      **error)
{
  const char *slash;

  if (uri == NULL || g_ascii_strncasecmp (uri, "s3://", 5) != 0
      || (slash = strchr (uri + 5, '/')) == NULL
      || (gsize) (slash - uri - 5) > GK_S3_BUCKET_NAME_MAX)
    {
      g_set_error_literal (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_URI,
                           _("Not an S3 object address. Use s3://BUCKET/KEY."));
      return FALSE;
    }
  memcpy (bucket, uri + 5, slash - uri - 5);
  bucket[slash - uri - 5] = '\0';
  *key = slash + 1;
  return TRUE;
}

/**
 * gk_s3_uses_path_style:
 *
 * Path-style (`host/BUCKET/KEY`) for custom endpoints (IGV's `endpoint_url`,
 * MinIO, the local stand-in) and for bucket names with dots, whose
 * virtual-hosted name would not match S3's wildcard TLS certificate.
 */
gboolean
gk_s3_uses_path_style (const char *bucket,
                       const char *endpoint)
{
  return (endpoint != NULL && *endpoint != '\0') || (bucket != NULL && strchr (bucket, '.') != NULL);
}

/**
 * gk_s3_build_target:
 * @endpoint: (nullable): a custom endpoint URL, or %NULL for AWS
 * @bucket: (nullable): %NULL for service-level calls (ListBuckets)
 * @key: (nullable): %NULL for bucket-level calls
 * @scheme: (out), @host: (out), @path: (out): the raw (unencoded) path
 */
gboolean
gk_s3_build_target (const char  *endpoint,
                    const char  *region,
                    const char  *bucket,
                    const char  *key,
                    char       **scheme,
                    char       **host,
                    char       **path,
                    GError     **error)
{
  if (endpoint != NULL && *endpoint != '\0')
    {
      g_autoptr(GUri) uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, error);
      g_autofree char *base = NULL;
      const char *uri_path;

      if (uri == NULL || g_uri_get_host (uri) == NULL)
        {
          g_clear_error (error);
          g_set_error (error, GK_S3_ERROR, GK_S3_ERROR_INVALID_URI,
                       _("The S3 endpoint “%s” is not a URL. Fix endpoint_url in the profile (or AWS_ENDPOINT_URL_S3)."),
                       endpoint);
          return FALSE;
        }
      uri_path = g_uri_get_path (uri);
      base = g_strdup (uri_path != NULL ? uri_path : "");
      while (*base != '\0' && base[strlen (base) - 1] == '/')
        base[strlen (base) - 1] = '\0';
      *scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
      /* The Host header (and so the signature) leaves out a default port,
       * as HTTP clients and browsers send it. */
      if (g_uri_get_port (uri) > 0
          && !(g_uri_get_port (uri) == 80 && g_str_equal (*scheme, "http"))
          && !(g_uri_get_port (uri) == 443 && g_str_equal (*scheme, "https")))
        {
          const char *h = g_uri_get_host (uri);

          *host = strchr (h, ':') != NULL
            ? g_strdup_printf ("[%s]:%d", h, g_uri_get_port (uri))
            : g_strdup_printf ("%s:%d", h, g_uri_get_port (uri));
        }
      else if (strchr (g_uri_get_host (uri), ':') != NULL)
        *host = g_strdup_printf ("[%s]", g_uri_get_host (uri));
      else
        *host = g_strdup (g_uri_get_host (uri));
      if (bucket == NULL)
        *path = g_strconcat (base, "/", NULL);
      else if (key == NULL)
        *path = g_strconcat (base, "/", bucket, NULL);
      else
        *path = g_strconcat (base, "/", bucket, "/", key, NULL);
      return TRUE;
    }

  *scheme = g_strdup ("https");
  if (bucket == NULL)
    {
      *host = g_strdup_printf ("s3.%s.amazonaws.com", region);
      *path = g_strdup ("/");
    }
  else if (gk_s3_uses_path_style (bucket, NULL))
    {
      *host = g_strdup_printf ("s3.%s.amazonaws.com", region);
      *path = key != NULL ? g_strconcat ("/", bucket, "/", key, NULL) : g_strconcat ("/", bucket, NULL);
    }
  else
    {
      *host = g_strdup_printf ("%s.s3.%s.amazonaws.com", bucket, region);
      *path = g_strconcat ("/", key != NULL ? key : "", NULL);
    }
  return TRUE;
}

/* ---- key ranges ------------------------------------------------------- */

/**
 * gk_s3_key_common_prefix:
 *
 * Every key that sorts between @a and @b (S3's bytewise order) starts with
 * what they share, so it bounds a listing of that range. Not cut inside a
 * character: S3 wants a prefix in UTF-8.
 *
 * Returns: (transfer full): the longest common prefix of @a and @b
 */
char *
gk_s3_key_common_prefix (const char *a,
                         const char *b)
{
  gsize n = 0;

  g_return_val_if_fail (a != NULL && b != NULL, NULL);

  while (a[n] != '\0' && a[n] == b[n])
    n++;
  while (n > 0 && ((guchar) a[n] & 0xC0) == 0x80)
    n--;
  return g_strndup (a, n);
}

/**
 * gk_s3_key_before:
 * @key: a key in UTF-8
 *
 * A StartAfter that lists @key itself: @key without its last character
 * sorts just before it.
 *
 * Returns: (transfer full) (nullable): that key, or %NULL for a key of one
 *   character (list from the start)
 */
char *
gk_s3_key_before (const char *key)
{
  const char *last;

  g_return_val_if_fail (key != NULL, NULL);

  last = g_utf8_find_prev_char (key, key + strlen (key));
  return last != NULL && last > key ? g_strndup (key, last - key) : NULL;
}

/* ---- errors ----------------------------------------------------------- */

static const char *
action_name (GkS3Action action)
{
  switch (action)
    {
    case GK_S3_ACTION_LIST_BUCKETS: return "s3:ListAllMyBuckets";
    case GK_S3_ACTION_LIST_OBJECTS: return "s3:ListBucket";
    case GK_S3_ACTION_GET_OBJECT:   return "s3:GetObject";
    case GK_S3_ACTION_PUT_OBJECT:   return "s3:PutObject";
    case GK_S3_ACTION_GET_CORS:     return "s3:GetBucketCORS";
    case GK_S3_ACTION_HEAD_BUCKET:  return "s3:ListBucket";
    case GK_S3_ACTION_DELETE_OBJECT: return "s3:DeleteObject";
    default:                        return "s3:*";
    }
}

/* S3's error codes (the S3 API reference's list of error responses), each
 * with what to change. Two rows name S3's own wording, because S3 answers
 * AccessDenied both for a refused permission and for a presigned link
 * whose time is out: "Request has expired" after X-Amz-Expires, and
 * "Request is not yet valid" for an X-Amz-Date in the future (a clock
 * that runs behind). Fields: {what} (the s3:// address, or "your
 * buckets"), {bucket}, {action} (the IAM action the call needs), {code},
 * {details} (" Code: message", or nothing), {status}. */
static const GkAwsErrorRow s3_errors[] = {
  { "AccessDenied", "Request has expired", 0, GK_S3_ERROR_EXPIRED_CREDENTIALS,
    N_("The request to {what} has expired. Sign a new link, or check this computer’s clock.") },
  { "AccessDenied", "Request is not yet valid", 0, GK_S3_ERROR_CLOCK_SKEW,
    N_("S3 found the request to {what} dated in the future. Check that this computer’s clock "
       "is right.") },
  { "AccessDenied", NULL, 0, GK_S3_ERROR_ACCESS_DENIED,
    N_("Access to {what} was denied. The role your sign-in gives (or the keys in use) needs "
       "{action} on it: ask your lab admin to allow it in the role’s policy.") },
  { "AllAccessDisabled", NULL, 0, GK_S3_ERROR_ACCESS_DENIED,
    N_("All access to {what} is disabled. Ask your lab admin.") },
  { "AccountProblem", NULL, 0, GK_S3_ERROR_ACCESS_DENIED,
    N_("The AWS account that owns {what} has a problem (billing or suspension). Tell your lab "
       "admin.") },
  { "InvalidAccessKeyId", NULL, 0, GK_S3_ERROR_INVALID_CREDENTIALS,
    N_("S3 does not know the access key in use. Sign in again, or check the access key ID of "
       "the credentials in use.") },
  { "SignatureDoesNotMatch", NULL, 0, GK_S3_ERROR_INVALID_CREDENTIALS,
    N_("S3 computed a different signature for {what}. Check that the secret key belongs to the "
       "access key and that no proxy rewrites requests; signing in again gives fresh keys.") },
  { "ExpiredToken", NULL, 0, GK_S3_ERROR_EXPIRED_CREDENTIALS,
    N_("The session credentials are expired or no longer valid. Sign in again, or get fresh "
       "temporary credentials.") },
  { "TokenRefreshRequired", NULL, 0, GK_S3_ERROR_EXPIRED_CREDENTIALS,
    N_("The session credentials are expired or no longer valid. Sign in again, or get fresh "
       "temporary credentials.") },
  { "InvalidToken", NULL, 0, GK_S3_ERROR_EXPIRED_CREDENTIALS,
    N_("The session credentials are expired or no longer valid. Sign in again, or get fresh "
       "temporary credentials.") },
  { "RequestExpired", NULL, 0, GK_S3_ERROR_EXPIRED_CREDENTIALS,
    N_("The session credentials are expired or no longer valid. Sign in again, or get fresh "
       "temporary credentials.") },
  { "RequestTimeTooSkewed", NULL, 0, GK_S3_ERROR_CLOCK_SKEW,
    N_("This computer’s clock is more than 15 minutes off S3’s. Turn on automatic time (for "
       "example “timedatectl set-ntp true”) and try again.") },
  { "NoSuchBucket", NULL, 0, GK_S3_ERROR_NO_SUCH_BUCKET,
    N_("The bucket “{bucket}” does not exist. Check its name (and the profile’s bucket list).") },
  { "NoSuchKey", NULL, 0, GK_S3_ERROR_NO_SUCH_KEY,
    N_("{what} does not exist. Check the key (names are case-sensitive).") },
  { "NotFound", NULL, 0, GK_S3_ERROR_NO_SUCH_KEY,
    N_("{what} does not exist. Check the key (names are case-sensitive).") },
  { "PermanentRedirect", NULL, 0, GK_S3_ERROR_WRONG_REGION,
    N_("{what} is in another region than the one used. Set the bucket’s region in the profile "
       "(aws_region).") },
  { "Redirect", NULL, 0, GK_S3_ERROR_WRONG_REGION,
    N_("{what} is in another region than the one used. Set the bucket’s region in the profile "
       "(aws_region).") },
  { "TemporaryRedirect", NULL, 0, GK_S3_ERROR_WRONG_REGION,
    N_("{what} is in another region than the one used. Set the bucket’s region in the profile "
       "(aws_region).") },
  { "AuthorizationHeaderMalformed", NULL, 0, GK_S3_ERROR_WRONG_REGION,
    N_("{what} is in another region than the one used. Set the bucket’s region in the profile "
       "(aws_region).") },
  { "AuthorizationQueryParametersError", NULL, 0, GK_S3_ERROR_WRONG_REGION,
    N_("{what} is in another region than the one used. Set the bucket’s region in the profile "
       "(aws_region).") },
  { "IllegalLocationConstraintException", NULL, 0, GK_S3_ERROR_WRONG_REGION,
    N_("{what} is in another region than the one used. Set the bucket’s region in the profile "
       "(aws_region).") },
  { "SlowDown", NULL, 0, GK_S3_ERROR_UNAVAILABLE,
    N_("S3 is busy or unavailable right now ({code}). Try again in a minute.") },
  { "ServiceUnavailable", NULL, 0, GK_S3_ERROR_UNAVAILABLE,
    N_("S3 is busy or unavailable right now ({code}). Try again in a minute.") },
  { "InternalError", NULL, 0, GK_S3_ERROR_UNAVAILABLE,
    N_("S3 is busy or unavailable right now ({code}). Try again in a minute.") },
  { "RequestTimeout", NULL, 0, GK_S3_ERROR_UNAVAILABLE,
    N_("S3 is busy or unavailable right now ({code}). Try again in a minute.") },
  { "NoSuchCORSConfiguration", NULL, 0, GK_S3_ERROR_NO_CORS,
    N_("The bucket “{bucket}” has no CORS rules, so web viewers (IGV-Web, Chromoscope) cannot "
       "read it. Ask your lab admin to allow GET from any origin and to expose Content-Range, "
       "Content-Length and Accept-Ranges.") },
  { "InvalidBucketName", NULL, 0, GK_S3_ERROR_INVALID_BUCKET_NAME,
    N_("S3 refused the bucket name “{bucket}”. Check the s3:// address.") },
  { "InvalidObjectState", NULL, 0, GK_S3_ERROR_ARCHIVED,
    N_("{what} is archived (Glacier or Deep Archive). Restore it first, then try again.") },
};

/* Codes that mean Genokey sent something S3 cannot take: a bug to report. */
static const char * const s3_request_bugs[] = {
  "KeyTooLongError", "InvalidArgument", "InvalidRequest", "InvalidURI", "MalformedXML",
  "EntityTooLarge", "MissingContentLength", "BadRequest", "MethodNotAllowed", "NotImplemented",
  "InvalidRange", "PreconditionFailed", NULL
};

static const GkAwsErrorRow s3_request_bug =
  { "", NULL, 0, GK_S3_ERROR_INVALID_REQUEST,
    N_("S3 refused the request for {what} ({code}{details}). This is likely a bug in Genokey; "
       "please report it.") };

static const GkAwsErrorRow s3_busy_without_code =
  { "", NULL, 0, GK_S3_ERROR_UNAVAILABLE,
    N_("S3 is busy or unavailable right now (HTTP {status}). Try again in a minute.") };

static const GkAwsErrorRow s3_unknown_error =
  { "", NULL, 0, GK_S3_ERROR_FAILED,
    N_("S3 answered HTTP {status}{details} for {what}.") };

/* HEAD answers carry no body: only the status says what went wrong. */
static const char *
code_for_status (guint       http_status,
                 const char *key)
{
  switch (http_status)
    {
    case 301: return "PermanentRedirect";
    case 400: return "BadRequest";
    case 403: return "AccessDenied";
    case 404: return key != NULL ? "NoSuchKey" : "NoSuchBucket";
    case 405: return "MethodNotAllowed";
    case 500: return "InternalError";
    case 503: return "SlowDown";
    default: return NULL;
    }
}

/**
 * gk_s3_error_new:
 * @http_status: the HTTP status (used when @code is %NULL, e.g. for HEAD)
 * @code: (nullable): S3's `<Code>`
 * @message: (nullable): S3's `<Message>`
 * @bucket: (nullable), @key: (nullable): what the call was about
 *
 * Returns: (transfer full): a %GK_S3_ERROR whose message says what to do
 */
GError *
gk_s3_error_new (guint        http_status,
                 const char  *code,
                 const char  *message,
                 GkS3Action   action,
                 const char  *bucket,
                 const char  *key)
{
  g_autofree char *what = NULL;
  g_autofree char *bare = gk_aws_error_normalize_code (code);
  g_autofree char *quoted = gk_aws_error_clean_message (message);
  g_autofree char *status = g_strdup_printf ("%u", http_status);
  g_autofree char *details = NULL;
  const GkAwsErrorRow *row;
  const char *c;

  if (bucket == NULL)
    what = g_strdup (_("your buckets"));
  else if (key != NULL && *key != '\0')
    what = g_strdup_printf ("s3://%s/%s", bucket, key);
  else
    what = g_strdup_printf ("s3://%s", bucket);

  c = bare != NULL ? bare : code_for_status (http_status, key);
  row = gk_aws_error_find (s3_errors, G_N_ELEMENTS (s3_errors), c, message, 0);
  if (row == NULL && c != NULL && g_strv_contains (s3_request_bugs, c))
    row = &s3_request_bug;
  else if (row == NULL && bare == NULL && http_status >= 500)
    row = &s3_busy_without_code;
  else if (row == NULL)
    row = &s3_unknown_error;

  details = g_strdup_printf ("%s%s%s%s", row == &s3_unknown_error && c != NULL ? " " : "",
                             row == &s3_unknown_error && c != NULL ? c : "",
                             *quoted != '\0' ? ": " : "", quoted);
  {
    const char *fields[] = {
      "what", what,
      "bucket", bucket != NULL ? bucket : "",
      "action", action_name (action),
      "code", c != NULL ? c : "",
      "details", details,
      "status", status,
      NULL
    };

    return gk_aws_error_new_from_row (GK_S3_ERROR, row, fields);
  }
}

/* ---- a small XML tree over GMarkup ----------------------------------- */

typedef struct _XNode XNode;
struct _XNode
{
  char *name;
  GString *text;
  GPtrArray *children; /* XNode*, NULL until needed */
  XNode *parent;
};

typedef struct
{
  XNode *root;
  XNode *current;
  guint depth;
} XParse;

static void
xnode_free (XNode *node)
{
  if (node == NULL)
    return;
  g_free (node->name);
  g_string_free (node->text, TRUE);
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (XNode, xnode_free)

static void
x_start (GMarkupParseContext  *context,
         const char           *element_name,
         const char          **attribute_names,
         const char          **attribute_values,
         gpointer              user_data,
         GError              **error)
{
  XParse *p = user_data;
  XNode *node;

  if (++p->depth > MAX_XML_DEPTH)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "too deep");
      return;
    }
  /* A document has one root element (XML 1.0 section 2.1), and GMarkup
   * does not enforce it. A second one would replace the first as the root
   * that is read and freed: the first tree would leak, and an <Error>
   * followed by a <ListBucketResult> would be read as a listing. */
  if (p->current == NULL && p->root != NULL)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                           _("a second top-level element"));
      return;
    }
  node = g_new0 (XNode, 1);
  node->name = g_strdup (element_name);
  node->text = g_string_new (NULL);
  node->parent = p->current;
  if (p->current == NULL)
    p->root = node;
  else
    {
      if (p->current->children == NULL)
        p->current->children = g_ptr_array_new_with_free_func ((GDestroyNotify) xnode_free);
      g_ptr_array_add (p->current->children, node);
    }
  p->current = node;
}

static void
x_end (GMarkupParseContext  *context,
       const char           *element_name,
       gpointer              user_data,
       GError              **error)
{
  XParse *p = user_data;

  p->depth--;
  p->current = p->current->parent;
}

static void
x_text (GMarkupParseContext  *context,
        const char           *text,
        gsize                 text_len,
        gpointer              user_data,
        GError              **error)
{
  XParse *p = user_data;

  if (p->current != NULL)
    g_string_append_len (p->current->text, text, text_len);
}

static void
x_passthrough (GMarkupParseContext  *context,
               const char           *text,
               gsize                 text_len,
               gpointer              user_data,
               GError              **error)
{
  /* Comments and the <?xml?> declaration pass; a DOCTYPE (and with it any
   * entity declaration) never does. */
  if (text_len >= 2 && text[0] == '<' && text[1] == '!'
      && !(text_len >= 4 && text[2] == '-' && text[3] == '-'))
    g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                         "document type declarations are not accepted");
}

static const GMarkupParser x_parser = { x_start, x_end, x_text, x_passthrough, NULL };

static XNode *
xml_parse (GBytes  *body,
           GError **error)
{
  g_autoptr(GMarkupParseContext) ctx = NULL;
  g_autoptr(GError) local = NULL;
  XParse p = { 0 };
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (data == NULL || len == 0)
    {
      g_set_error_literal (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE,
                           _("S3 sent an empty answer. Check the endpoint (endpoint_url) points at S3."));
      return NULL;
    }
  if (len > GK_S3_MAX_ANSWER_SIZE)
    {
      g_set_error_literal (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE,
                           _("S3 sent an answer too large to be S3's. Check the endpoint (endpoint_url)."));
      return NULL;
    }
  /* S3 answers in UTF-8. Anything else is refused here, before GMarkup
   * sees it: GMarkup quotes invalid bytes in its error messages as they
   * are (an error that is not UTF-8 cannot be shown), and with a
   * passthrough handler GLib 2.74 reports invalid UTF-8 in a comment or
   * declaration without stopping, so a later error lands on top of it. */
  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE,
                           _("S3 sent an answer that is not UTF-8 text. Check the endpoint (endpoint_url) points at S3."));
      return NULL;
    }
  /* Refuse before parsing, whatever the case or spacing. */
  if (g_strstr_len (data, len, "<!DOCTYPE") != NULL || g_strstr_len (data, len, "<!doctype") != NULL
      || g_strstr_len (data, len, "<!ENTITY") != NULL)
    {
      g_set_error_literal (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE,
                           _("The answer contains a document type declaration, which S3 never sends. "
                             "Check the endpoint (endpoint_url) points at S3."));
      return NULL;
    }

  ctx = g_markup_parse_context_new (&x_parser, G_MARKUP_PREFIX_ERROR_POSITION, &p, NULL);
  if (!g_markup_parse_context_parse (ctx, data, len, &local)
      || !g_markup_parse_context_end_parse (ctx, &local)
      || p.root == NULL)
    {
      XNode *root = p.root;
      /* Even for UTF-8 input, GMarkup's message can quote the first byte
       * of a multi-byte character alone ("“Name¢” is not a valid name:
       * “\xc2”"), and a message that is not UTF-8 cannot be shown. */
      g_autofree char *why = local != NULL ? g_utf8_make_valid (local->message, -1) : NULL;

      xnode_free (root);
      g_set_error (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE,
                   _("S3 sent an answer that is not valid XML (%s). Check the endpoint (endpoint_url) "
                     "points at S3."),
                   why != NULL ? why : _("no element"));
      return NULL;
    }
  return p.root;
}

static XNode *
x_child (XNode      *node,
         const char *name)
{
  if (node == NULL || node->children == NULL)
    return NULL;
  for (guint i = 0; i < node->children->len; i++)
    {
      XNode *c = g_ptr_array_index (node->children, i);

      if (g_str_equal (c->name, name))
        return c;
    }
  return NULL;
}

static const char *
x_text_of (XNode      *node,
           const char *name)
{
  XNode *c = x_child (node, name);

  return c != NULL ? c->text->str : NULL;
}

static gint64
parse_time (const char *iso)
{
  g_autoptr(GDateTime) dt = NULL;

  if (iso == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (iso, NULL);
  return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

/* encoding-type=url: S3 form-encodes keys ('+' for space, %XX otherwise). */
static char *
url_decode (const char *s,
            gboolean    encoded)
{
  g_autofree char *plus = NULL;
  char *out;

  if (s == NULL)
    return NULL;
  if (!encoded)
    return g_strdup (s);
  plus = g_strdup (s);
  g_strdelimit (plus, "+", ' ');
  out = g_uri_unescape_string (plus, NULL);
  return out != NULL ? out : g_strdup (s);
}

/**
 * gk_s3_parse_error:
 * @code: (out) (optional), @message: (out) (optional), @region: (out) (optional)
 *
 * Returns: %TRUE if @body is an S3 `<Error>` document
 */
gboolean
gk_s3_parse_error (GBytes  *body,
                   char   **code,
                   char   **message,
                   char   **region)
{
  g_autoptr(XNode) root = xml_parse (body, NULL);

  if (root == NULL || !g_str_equal (root->name, "Error"))
    return FALSE;
  if (code != NULL)
    *code = g_strdup (x_text_of (root, "Code"));
  if (message != NULL)
    *message = g_strdup (x_text_of (root, "Message"));
  if (region != NULL)
    *region = g_strdup (x_text_of (root, "Region"));
  return TRUE;
}

static gboolean
expect_root (XNode       *root,
             const char  *name,
             GError     **error)
{
  if (g_str_equal (root->name, name))
    return TRUE;
  g_set_error (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE,
               _("S3 answered with <%s> where <%s> was expected. Check the endpoint (endpoint_url) "
                 "points at S3."), root->name, name);
  return FALSE;
}

/**
 * gk_s3_parse_list_objects:
 *
 * Parses a ListObjectsV2 `<ListBucketResult>`; keys and prefixes are decoded
 * when the answer says `<EncodingType>url</EncodingType>`.
 *
 * Returns: (transfer full): the page, or %NULL with @error set
 */
GkS3ListPage *
gk_s3_parse_list_objects (GBytes  *body,
                          GError **error)
{
  g_autoptr(XNode) root = xml_parse (body, error);
  g_autoptr(GkS3ListPage) page = NULL;
  const char *enc, *truncated, *token;
  gboolean url;

  if (root == NULL || !expect_root (root, "ListBucketResult", error))
    return NULL;

  enc = x_text_of (root, "EncodingType");
  url = enc != NULL && g_ascii_strcasecmp (enc, "url") == 0;
  page = g_new0 (GkS3ListPage, 1);
  page->bucket = g_strdup (x_text_of (root, "Name"));
  page->prefix = url_decode (x_text_of (root, "Prefix"), url);
  page->folders = g_ptr_array_new_with_free_func (g_free);
  page->objects = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_s3_object_free);
  truncated = x_text_of (root, "IsTruncated");
  page->truncated = truncated != NULL && g_ascii_strcasecmp (truncated, "true") == 0;
  token = x_text_of (root, "NextContinuationToken");
  page->next_token = token != NULL && *token != '\0' ? g_strdup (token) : NULL;

  for (guint i = 0; root->children != NULL && i < root->children->len; i++)
    {
      XNode *c = g_ptr_array_index (root->children, i);

      if (g_str_equal (c->name, "Contents"))
        {
          GkS3Object *o = g_new0 (GkS3Object, 1);
          const char *size = x_text_of (c, "Size");

          o->key = url_decode (x_text_of (c, "Key"), url);
          o->size = size != NULL ? g_ascii_strtoull (size, NULL, 10) : 0;
          o->last_modified = parse_time (x_text_of (c, "LastModified"));
          o->etag = g_strdup (x_text_of (c, "ETag"));
          o->storage_class = g_strdup (x_text_of (c, "StorageClass"));
          if (o->key == NULL)
            {
              gk_s3_object_free (o);
              continue;
            }
          g_ptr_array_add (page->objects, o);
        }
      else if (g_str_equal (c->name, "CommonPrefixes"))
        {
          char *prefix = url_decode (x_text_of (c, "Prefix"), url);

          if (prefix != NULL)
            g_ptr_array_add (page->folders, prefix);
        }
    }
  return g_steal_pointer (&page);
}

/**
 * gk_s3_parse_list_buckets:
 *
 * Returns: (transfer full) (element-type GkS3Bucket): the buckets
 */
GPtrArray *
gk_s3_parse_list_buckets (GBytes  *body,
                          GError **error)
{
  g_autoptr(XNode) root = xml_parse (body, error);
  GPtrArray *buckets;
  XNode *list;

  if (root == NULL || !expect_root (root, "ListAllMyBucketsResult", error))
    return NULL;
  buckets = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_s3_bucket_free);
  list = x_child (root, "Buckets");
  for (guint i = 0; list != NULL && list->children != NULL && i < list->children->len; i++)
    {
      XNode *c = g_ptr_array_index (list->children, i);
      const char *name = x_text_of (c, "Name");
      GkS3Bucket *b;

      if (!g_str_equal (c->name, "Bucket") || name == NULL)
        continue;
      b = g_new0 (GkS3Bucket, 1);
      b->name = g_strdup (name);
      b->created = parse_time (x_text_of (c, "CreationDate"));
      g_ptr_array_add (buckets, b);
    }
  return buckets;
}

static GStrv
collect (XNode      *rule,
         const char *name)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  for (guint i = 0; rule->children != NULL && i < rule->children->len; i++)
    {
      XNode *c = g_ptr_array_index (rule->children, i);

      if (g_str_equal (c->name, name))
        g_strv_builder_add (builder, c->text->str);
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/**
 * gk_s3_parse_cors:
 *
 * Returns: (transfer full) (element-type GkS3CorsRule): the CORS rules
 */
GPtrArray *
gk_s3_parse_cors (GBytes  *body,
                  GError **error)
{
  g_autoptr(XNode) root = xml_parse (body, error);
  GPtrArray *rules;

  if (root == NULL || !expect_root (root, "CORSConfiguration", error))
    return NULL;
  rules = g_ptr_array_new_with_free_func ((GDestroyNotify) gk_s3_cors_rule_free);
  for (guint i = 0; root->children != NULL && i < root->children->len; i++)
    {
      XNode *c = g_ptr_array_index (root->children, i);
      GkS3CorsRule *rule;

      if (!g_str_equal (c->name, "CORSRule"))
        continue;
      rule = g_new0 (GkS3CorsRule, 1);
      rule->allowed_origins = collect (c, "AllowedOrigin");
      rule->allowed_methods = collect (c, "AllowedMethod");
      rule->allowed_headers = collect (c, "AllowedHeader");
      rule->expose_headers = collect (c, "ExposeHeader");
      g_ptr_array_add (rules, rule);
    }
  return rules;
}
