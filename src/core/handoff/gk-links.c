/* gk-links.c
 *
 * Why the index is always signed and passed explicitly: IGV derives an
 * index URL by appending ".bai" to the whole URL, query included, which
 * breaks the signature; and a missing index makes IGV open a modal dialog
 * that blocks its batch port. So a missing index is an error here, naming
 * the files that were tried.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "gk-genomic-file.h"
#include "gk-links-private.h"
#include "gk-sigv4.h"

struct _GkLinker
{
  GObject parent_instance;

  GkS3Client *client;
  GkLinkMinter *minter;
};

G_DEFINE_FINAL_TYPE (GkLinker, gk_linker, G_TYPE_OBJECT)

G_DEFINE_QUARK (gk-links-error-quark, gk_links_error)

G_DEFINE_BOXED_TYPE (GkLink, gk_link, gk_link_ref, gk_link_unref)

GkLink *
gk_link_ref (GkLink *link)
{
  g_return_val_if_fail (link != NULL, NULL);
  g_atomic_ref_count_inc (&link->ref_count);
  return link;
}

void
gk_link_unref (GkLink *link)
{
  g_return_if_fail (link != NULL);
  if (!g_atomic_ref_count_dec (&link->ref_count))
    return;
  g_free (link->bucket);
  g_free (link->key);
  g_free (link->url);
  g_free (link->index_key);
  g_free (link->index_url);
  g_free (link);
}

/* ---- policy ----------------------------------------------------------- */

/**
 * gk_links_clamp_expiry:
 * @requested: the lifetime asked for, in seconds
 * @credentials: (nullable): what the link will be signed with
 * @now: Unix time
 * @cap: (out) (optional): why the result is less than @requested
 *
 * A presigned link lives min(@requested, 7 days, what the credentials have
 * left): S3 refuses a link once the credentials that signed it expire, so a
 * longer promise would be a lie.
 *
 * Returns: the lifetime to sign, or 0 with @error set
 */
guint
gk_links_clamp_expiry (gint64          requested,
                       GkCredentials  *credentials,
                       gint64          now,
                       GkLinkCap      *cap,
                       GError        **error)
{
  gint64 actual = requested;
  GkLinkCap why = GK_LINK_CAP_NONE;

  if (requested < GK_SIGV4_MIN_EXPIRES)
    {
      g_set_error (error, GK_LINKS_ERROR, GK_LINKS_ERROR_INVALID_EXPIRY,
                   _("A link must live at least 1 second (asked: %lld). "
                     "Use a lifetime between 1 and 604800 seconds (7 days)."),
                   (long long) requested);
      return 0;
    }
  if (actual > GK_SIGV4_MAX_EXPIRES)
    {
      actual = GK_SIGV4_MAX_EXPIRES;
      why = GK_LINK_CAP_MAXIMUM;
    }
  if (credentials != NULL && gk_credentials_expires (credentials))
    {
      gint64 left = gk_credentials_get_remaining (credentials, now);

      if (left < 1)
        {
          g_set_error_literal (error, GK_LINKS_ERROR, GK_LINKS_ERROR_EXPIRED,
                               _("The credentials have expired, so no link signed with them would "
                                 "work. Sign in again, or get fresh credentials."));
          return 0;
        }
      if (left < actual)
        {
          actual = left;
          why = GK_LINK_CAP_CREDENTIALS;
        }
    }
  if (cap != NULL)
    *cap = why;
  return (guint) actual;
}

/* ---- the linker ------------------------------------------------------- */

GkLinker *
gk_linker_new (GkS3Client *client)
{
  GkLinker *self;

  g_return_val_if_fail (GK_IS_S3_CLIENT (client), NULL);

  self = g_object_new (GK_TYPE_LINKER, NULL);
  self->client = g_object_ref (client);
  return self;
}

GkS3Client *
gk_linker_get_client (GkLinker *self)
{
  g_return_val_if_fail (GK_IS_LINKER (self), NULL);
  return self->client;
}

/**
 * gk_linker_set_minter:
 * @minter: (nullable): where gateway links come from, or %NULL for
 *   presigned links
 */
void
gk_linker_set_minter (GkLinker     *self,
                      GkLinkMinter *minter)
{
  g_return_if_fail (GK_IS_LINKER (self));
  g_set_object (&self->minter, minter);
}

/**
 * gk_linker_get_minter:
 *
 * Returns: (transfer none) (nullable): the minter, when links are gateway
 *   links
 */
GkLinkMinter *
gk_linker_get_minter (GkLinker *self)
{
  g_return_val_if_fail (GK_IS_LINKER (self), NULL);
  return self->minter;
}

/**
 * gk_linker_sign_now:
 * @expires_in: a lifetime already bounded by gk_links_clamp_expiry()
 *
 * Appends the presigned link for @bucket/@key to @out. No network, no
 * waiting. A linker with a minter mints instead (gk_link_minter_mint_async(),
 * or a GkLinkBatch for many files).
 */
gboolean
gk_linker_sign_now (GkLinker       *self,
                    GkCredentials  *credentials,
                    const char     *bucket,
                    const char     *key,
                    guint           expires_in,
                    gint64          now,
                    GString        *out,
                    GError        **error)
{
  if (self->minter != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "gateway links are minted with gk_link_minter_mint_async()");
      return FALSE;
    }
  return gk_s3_client_presign (self->client, credentials, bucket, key, now, expires_in, out, error);
}

typedef struct
{
  char *bucket;
  char *key;
  gint64 requested;
  GkLinkFlags flags;
  GkCredentials *credentials;
  GStrv candidates;
  guint next_candidate;
  char *index_key;
  GStrv minted;        /* gateway links of the key and its index */
} SignData;

static void
sign_data_free (SignData *d)
{
  g_free (d->bucket);
  g_free (d->key);
  g_clear_pointer (&d->credentials, gk_credentials_unref);
  g_strfreev (d->candidates);
  g_free (d->index_key);
  g_strfreev (d->minted);
  g_free (d);
}

/* Gateway links need neither credentials nor regions here: they are
 * signed when read. */
gboolean
_gk_linker_is_gateway (GkLinker *self)
{
  return self->minter != NULL;
}

/**
 * _gk_linker_make_gateway_link:
 * @url: (transfer full): the minted link of @key
 * @index_url: (transfer full) (nullable): the minted link of @index_key
 *
 * Returns: (transfer full): the link
 */
GkLink *
_gk_linker_make_gateway_link (const char *bucket,
                              const char *key,
                              const char *index_key,
                              char       *url,
                              char       *index_url)
{
  GkLink *link = g_new0 (GkLink, 1);

  g_atomic_ref_count_init (&link->ref_count);
  link->kind = GK_LINK_GATEWAY;
  link->bucket = g_strdup (bucket);
  link->key = g_strdup (key);
  link->index_key = g_strdup (index_key);
  link->url = url;
  link->index_url = index_url;
  return link;
}

/**
 * _gk_linker_make_link:
 * @index_key: (nullable): the index found for @key, signed alongside
 * @requested: the lifetime asked for, bounded here
 *
 * One presigned link (and its index link). The single and the batch paths
 * (gk-link-batch.c) both end here, so a link is the same whichever way it
 * was asked for; gateway links end in _gk_linker_make_gateway_link().
 *
 * Returns: (transfer full): the link, or %NULL with @error set
 */
GkLink *
_gk_linker_make_link (GkLinker       *self,
                      GkCredentials  *credentials,
                      const char     *bucket,
                      const char     *key,
                      const char     *index_key,
                      gint64          requested,
                      gint64          now,
                      GError        **error)
{
  g_autoptr(GkLink) link = g_new0 (GkLink, 1);
  GString *url = g_string_sized_new (1024);

  g_atomic_ref_count_init (&link->ref_count);
  link->bucket = g_strdup (bucket);
  link->key = g_strdup (key);
  link->index_key = g_strdup (index_key);

  link->kind = GK_LINK_PRESIGNED;
  link->expires_in = gk_links_clamp_expiry (requested, credentials, now, &link->cap, error);
  if (link->expires_in == 0)
    {
      g_string_free (url, TRUE);
      return NULL;
    }
  link->expires_at = now + link->expires_in;

  if (!gk_linker_sign_now (self, credentials, bucket, key, link->expires_in, now, url, error))
    {
      g_string_free (url, TRUE);
      return NULL;
    }
  link->url = g_string_free (url, FALSE);

  if (index_key != NULL)
    {
      url = g_string_sized_new (1024);
      if (!gk_linker_sign_now (self, credentials, bucket, index_key, link->expires_in, now, url,
                               error))
        {
          g_string_free (url, TRUE);
          return NULL;
        }
      link->index_url = g_string_free (url, FALSE);
    }
  return g_steal_pointer (&link);
}

/**
 * _gk_links_no_index_error:
 * @candidates: the names tried
 *
 * Returns: (transfer full): %GK_LINKS_ERROR_NO_INDEX, naming the files tried
 */
GError *
_gk_links_no_index_error (const char         *bucket,
                          const char         *key,
                          const char * const *candidates)
{
  g_autoptr(GString) tried = g_string_new (NULL);

  for (guint i = 0; candidates[i] != NULL; i++)
    g_string_append_printf (tried, "%ss3://%s/%s", i > 0 ? ", " : "", bucket, candidates[i]);
  return g_error_new (GK_LINKS_ERROR, GK_LINKS_ERROR_NO_INDEX,
                      _("No index found for s3://%s/%s (tried %s). Genome browsers need "
                        "it: create it (samtools index, or tabix for VCF) and upload it "
                        "next to the file."),
                      bucket, key, tried->str);
}

/**
 * _gk_linker_end_in_name:
 *
 * For %GK_LINK_ENDS_IN_NAME: a proxy or gateway link ends in the key
 * anyway; a presigned one is signed again with the file's name as a signed
 * parameter at its end, in plain characters.
 */
gboolean
_gk_linker_end_in_name (GkLinker       *self,
                        GkCredentials  *credentials,
                        GkLink         *link,
                        gint64          now,
                        GError        **error)
{
  g_autofree char *name = NULL;
  GString *url;

  if (link->kind != GK_LINK_PRESIGNED)
    return TRUE;
  name = g_strdup (gk_genomic_file_base_name (link->key));
  for (char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      *p = '_';
  url = g_string_sized_new (1024);
  if (!gk_s3_client_presign_ending_in_name (self->client, credentials, link->bucket, link->key,
                                            name, now, link->expires_in, url, error))
    {
      g_string_free (url, TRUE);
      return FALSE;
    }
  g_free (link->url);
  link->url = g_string_free (url, FALSE);
  return TRUE;
}

static void
finish_sign (GTask *task)
{
  GkLinker *self = g_task_get_source_object (task);
  SignData *d = g_task_get_task_data (task);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GError *error = NULL;
  GkLink *link;

  if (d->minted != NULL)
    {
      link = _gk_linker_make_gateway_link (d->bucket, d->key, d->index_key,
                                           g_strdup (d->minted[0]),
                                           d->index_key != NULL ? g_strdup (d->minted[1]) : NULL);
      g_task_return_pointer (task, link, (GDestroyNotify) gk_link_unref);
      return;
    }
  link = _gk_linker_make_link (self, d->credentials, d->bucket, d->key, d->index_key,
                               d->requested, now, &error);
  if (link != NULL && (d->flags & GK_LINK_ENDS_IN_NAME)
      && !_gk_linker_end_in_name (self, d->credentials, link, now, &error))
    g_clear_pointer (&link, gk_link_unref);
  if (link == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, link, (GDestroyNotify) gk_link_unref);
}

static void
on_minted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  d->minted = gk_link_minter_mint_finish (GK_LINK_MINTER (object), result, &error);
  if (d->minted == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  finish_sign (task);
}

/* The file (and its index) are settled: sign, or have the minter mint.
 * Takes @task. */
static void
complete_sign (GTask *task)
{
  GkLinker *self = g_task_get_source_object (task);
  SignData *d = g_task_get_task_data (task);
  g_autofree char *uri = NULL, *index_uri = NULL;
  const char *uris[3] = { NULL, NULL, NULL };

  if (self->minter == NULL)
    {
      finish_sign (task);
      g_object_unref (task);
      return;
    }
  uri = g_strdup_printf ("s3://%s/%s", d->bucket, d->key);
  uris[0] = uri;
  if (d->index_key != NULL)
    {
      index_uri = g_strdup_printf ("s3://%s/%s", d->bucket, d->index_key);
      uris[1] = index_uri;
    }
  gk_link_minter_mint_async (self->minter, uris, g_task_get_cancellable (task), on_minted_cb, task);
}

static void try_next_candidate (GTask *task);

static void
on_index_head_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignData *d = g_task_get_task_data (task);
  g_autoptr(GkS3Object) found = NULL;
  g_autoptr(GError) error = NULL;

  found = gk_s3_client_head_object_finish (GK_S3_CLIENT (object), result, &error);
  if (found != NULL)
    {
      d->index_key = g_strdup (d->candidates[d->next_candidate]);
      complete_sign (g_steal_pointer (&task));
      return;
    }
  /* Without s3:ListBucket a missing key is 403 rather than 404; either way
   * this name is not usable, so try the next. */
  if (!g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_NO_SUCH_KEY)
      && !g_error_matches (error, GK_S3_ERROR, GK_S3_ERROR_ACCESS_DENIED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  d->next_candidate++;
  try_next_candidate (g_steal_pointer (&task));
}

static void
try_next_candidate (GTask *task)
{
  GkLinker *self = g_task_get_source_object (task);
  SignData *d = g_task_get_task_data (task);

  if (d->candidates[d->next_candidate] == NULL)
    {
      g_task_return_error (task, _gk_links_no_index_error (d->bucket, d->key,
                                                           (const char * const *) d->candidates));
      g_object_unref (task);
      return;
    }
  gk_s3_client_head_object_async (self->client, d->bucket, d->candidates[d->next_candidate],
                                  g_task_get_cancellable (task), on_index_head_cb, task);
}

static void
continue_sign (GTask *task)
{
  SignData *d = g_task_get_task_data (task);

  if ((d->flags & GK_LINK_WITH_INDEX) && d->candidates != NULL)
    try_next_candidate (task);
  else
    complete_sign (task);
}

static void
on_region_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  g_autofree char *region = NULL;
  g_autoptr(GError) error = NULL;

  region = gk_s3_client_get_bucket_region_finish (GK_S3_CLIENT (object), result, &error);
  if (region == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  continue_sign (task);
}

static void
on_credentials_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  GkLinker *self = g_task_get_source_object (task);
  SignData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  d->credentials = gk_credential_source_get_credentials_finish (GK_CREDENTIAL_SOURCE (object),
                                                                result, &error);
  if (d->credentials == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  gk_s3_client_get_bucket_region_async (self->client, d->bucket, g_task_get_cancellable (task),
                                        on_region_cb, task);
}

/**
 * gk_linker_sign_async:
 * @expires: the lifetime asked for, in seconds (bounded, see
 *   gk_links_clamp_expiry(); the result says what was used)
 * @flags: %GK_LINK_WITH_INDEX to find, check and sign the index as well
 */
void
gk_linker_sign_async (GkLinker            *self,
                      const char          *bucket,
                      const char          *key,
                      gint64               expires,
                      GkLinkFlags          flags,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  SignData *d;
  GError *error = NULL;

  g_return_if_fail (GK_IS_LINKER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_linker_sign_async);
  d = g_new0 (SignData, 1);
  d->bucket = g_strdup (bucket);
  d->key = g_strdup (key);
  d->requested = expires;
  d->flags = flags;
  d->candidates = gk_genomic_file_index_candidates (key != NULL ? key : "", GK_VIEWER_ANY);
  g_task_set_task_data (task, d, (GDestroyNotify) sign_data_free);

  if (!gk_s3_key_is_valid (key, FALSE, &error)
      || !gk_s3_client_check_allowed (self->client, bucket, key, &error)
      || (self->minter == NULL && gk_links_clamp_expiry (expires, NULL, 0, NULL, &error) == 0))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (self->minter != NULL)
    {
      continue_sign (task);
      return;
    }
  /* Renew first if the credentials would cut the link short by a lot. */
  gk_credential_source_get_credentials_async (gk_s3_client_get_source (self->client),
                                              MIN (expires, GK_CREDENTIALS_REFRESH_MARGIN),
                                              cancellable, on_credentials_cb, task);
}

/**
 * gk_linker_sign_finish:
 *
 * Returns: (transfer full): the link, its index link and its real expiry
 */
GkLink *
gk_linker_sign_finish (GkLinker      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
gk_linker_dispose (GObject *object)
{
  GkLinker *self = GK_LINKER (object);

  g_clear_object (&self->client);
  g_clear_object (&self->minter);
  G_OBJECT_CLASS (gk_linker_parent_class)->dispose (object);
}

static void
gk_linker_class_init (GkLinkerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gk_linker_dispose;
}

static void
gk_linker_init (GkLinker *self)
{
}
