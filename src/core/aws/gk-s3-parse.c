/* gk-s3-parse.c: S3's XML answers (listings, buckets, CORS rules, errors)
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

#include "gk-s3-error.h"
#include "gk-s3-parse.h"

#define MAX_XML_DEPTH 16

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

/**
 * gk_s3_parse_versioning:
 *
 * A bucket whose versioning was never set answers an empty
 * VersioningConfiguration: that is %GK_S3_VERSIONING_NEVER.
 *
 * Returns: the bucket's versioning, or %GK_S3_VERSIONING_UNKNOWN with @error
 */
GkS3Versioning
gk_s3_parse_versioning (GBytes  *body,
                        GError **error)
{
  g_autoptr(XNode) root = xml_parse (body, error);
  const char *status;

  if (root == NULL || !expect_root (root, "VersioningConfiguration", error))
    return GK_S3_VERSIONING_UNKNOWN;
  status = x_text_of (root, "Status");
  if (status == NULL || *status == '\0')
    return GK_S3_VERSIONING_NEVER;
  if (g_str_equal (status, "Enabled"))
    return GK_S3_VERSIONING_ENABLED;
  if (g_str_equal (status, "Suspended"))
    return GK_S3_VERSIONING_SUSPENDED;
  g_set_error (error, GK_S3_ERROR, GK_S3_ERROR_BAD_RESPONSE,
               _("S3 answered a versioning status Genokey does not know (“%s”)."), status);
  return GK_S3_VERSIONING_UNKNOWN;
}
