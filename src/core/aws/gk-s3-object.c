/* gk-s3-object.c: GkS3Client's calls on one object (HeadObject,
 * PutObject, DeleteObject) and on a bucket's CORS rules and versioning
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-s3-private.h"

/* The task of a call on @bucket/@key, or %NULL when S3 would not take
 * @key or the profile's bucket list does not cover it: then the task has
 * already failed, and nothing is sent. */
static GTask *
object_call_new (GkS3Client          *self,
                 const char          *bucket,
                 const char          *key,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, source_tag);
  if (!gk_s3_key_is_valid (key, FALSE, &error) || !gk_s3_client_check_allowed (self, bucket, key, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }
  return g_steal_pointer (&task);
}

/* ---- HeadObject ------------------------------------------------------- */

static void
on_head_object_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GkS3Request *r = gk_s3_client_send_finish (result, &error);
  SoupMessageHeaders *h;
  GkS3Object *o;
  const char *modified;

  if (r == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  h = soup_message_get_response_headers (r->msg);
  o = g_new0 (GkS3Object, 1);
  o->key = g_strdup (r->key);
  o->size = soup_message_headers_get_content_length (h);
  o->etag = g_strdup (soup_message_headers_get_one (h, "ETag"));
  o->content_type = g_strdup (soup_message_headers_get_one (h, "Content-Type"));
  o->storage_class = g_strdup (soup_message_headers_get_one (h, "x-amz-storage-class"));
  modified = soup_message_headers_get_one (h, "Last-Modified");
  if (modified != NULL)
    {
      g_autoptr(GDateTime) dt = soup_date_time_new_from_http_string (modified);

      o->last_modified = dt != NULL ? g_date_time_to_unix (dt) : 0;
    }
  g_task_return_pointer (task, o, (GDestroyNotify) gk_s3_object_free);
}

void
gk_s3_client_head_object_async (GkS3Client          *self,
                                const char          *bucket,
                                const char          *key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = object_call_new (self, bucket, key, gk_s3_client_head_object_async, cancellable,
                          callback, user_data);
  if (task != NULL)
    gk_s3_client_send_request (self, gk_s3_request_new ("HEAD", bucket, key, GK_S3_ACTION_GET_OBJECT),
                               cancellable, on_head_object_cb, task);
}

/**
 * gk_s3_client_head_object_finish:
 *
 * Returns: (transfer full): size, date, ETag and type of the object; a
 *   missing object is %GK_S3_ERROR_NO_SUCH_KEY
 */
GkS3Object *
gk_s3_client_head_object_finish (GkS3Client    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- PutObject -------------------------------------------------------- */

static void
on_put_object_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (gk_s3_client_send_finish (result, &error) == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
gk_s3_client_put_object_async (GkS3Client          *self,
                               const char          *bucket,
                               const char          *key,
                               GBytes              *body,
                               const char          *content_type,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  GkS3Request *r;

  g_return_if_fail (GK_IS_S3_CLIENT (self));
  g_return_if_fail (body != NULL);

  task = object_call_new (self, bucket, key, gk_s3_client_put_object_async, cancellable,
                          callback, user_data);
  if (task == NULL)
    return;
  r = gk_s3_request_new ("PUT", bucket, key, GK_S3_ACTION_PUT_OBJECT);
  r->body = g_bytes_ref (body);
  r->content_type = g_strdup (content_type != NULL ? content_type : "application/octet-stream");
  gk_s3_client_send_request (self, r, cancellable, on_put_object_cb, task);
}

gboolean
gk_s3_client_put_object_finish (GkS3Client    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- DeleteObject ----------------------------------------------------- */

/**
 * gk_s3_client_delete_object_async:
 *
 * Deletes @key; S3 answers the same whether or not it was there, so this
 * also makes sure a cancelled upload left nothing behind.
 */
void
gk_s3_client_delete_object_async (GkS3Client          *self,
                                  const char          *bucket,
                                  const char          *key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = object_call_new (self, bucket, key, gk_s3_client_delete_object_async, cancellable,
                          callback, user_data);
  if (task != NULL)
    gk_s3_client_send_request (self, gk_s3_request_new ("DELETE", bucket, key,
                                                        GK_S3_ACTION_DELETE_OBJECT),
                               cancellable, on_put_object_cb, task);
}

gboolean
gk_s3_client_delete_object_finish (GkS3Client    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GetBucketCors ---------------------------------------------------- */

static void
on_cors_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GkS3Request *r = gk_s3_client_send_finish (result, &error);
  GPtrArray *rules;

  if (r == NULL || (rules = gk_s3_parse_cors (r->response, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, rules, (GDestroyNotify) g_ptr_array_unref);
}

void
gk_s3_client_get_bucket_cors_async (GkS3Client          *self,
                                    const char          *bucket,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GkS3Request *r;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_client_get_bucket_cors_async);
  if (!gk_s3_bucket_name_is_valid (bucket, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  r = gk_s3_request_new ("GET", bucket, NULL, GK_S3_ACTION_GET_CORS);
  gk_s3_request_add_query (r, "cors", "");
  gk_s3_client_send_request (self, r, cancellable, on_cors_cb, g_steal_pointer (&task));
}

/**
 * gk_s3_client_get_bucket_cors_finish:
 *
 * Returns: (transfer full) (element-type GkS3CorsRule): the rules; a bucket
 *   without any is %GK_S3_ERROR_NO_CORS
 */
GPtrArray *
gk_s3_client_get_bucket_cors_finish (GkS3Client    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GetBucketVersioning ---------------------------------------------- */

static void
on_versioning_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GkS3Request *r = gk_s3_client_send_finish (result, &error);
  GkS3Versioning versioning;

  if (r == NULL ||
      (versioning = gk_s3_parse_versioning (r->response, &error)) == GK_S3_VERSIONING_UNKNOWN)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_int (task, versioning);
}

void
gk_s3_client_get_bucket_versioning_async (GkS3Client          *self,
                                          const char          *bucket,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GkS3Request *r;

  g_return_if_fail (GK_IS_S3_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_s3_client_get_bucket_versioning_async);
  if (!gk_s3_bucket_name_is_valid (bucket, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  r = gk_s3_request_new ("GET", bucket, NULL, GK_S3_ACTION_GET_VERSIONING);
  gk_s3_request_add_query (r, "versioning", "");
  gk_s3_client_send_request (self, r, cancellable, on_versioning_cb, g_steal_pointer (&task));
}

/**
 * gk_s3_client_get_bucket_versioning_finish:
 *
 * Returns: the bucket's versioning, or %GK_S3_VERSIONING_UNKNOWN with
 *   @error (often AccessDenied: lab members seldom may read it)
 */
GkS3Versioning
gk_s3_client_get_bucket_versioning_finish (GkS3Client    *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  GError *local = NULL;
  gssize value;

  g_return_val_if_fail (g_task_is_valid (result, self), GK_S3_VERSIONING_UNKNOWN);
  value = g_task_propagate_int (G_TASK (result), &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return GK_S3_VERSIONING_UNKNOWN;
    }
  return (GkS3Versioning) value;
}
