/* gk-links.h: links to S3 objects for genome browsers, with their indexes
 *
 * One place decides which files go together (a BAM and its .bai, …), how
 * long a link may live, and what kind of link it is: a presigned S3 URL,
 * or, for a GkLinker given a link minter, a gateway link
 * (`http://127.0.0.1:PORT/<capability>/BUCKET/KEY`, signed upstream per
 * request, working as long as the sign-in), without its callers changing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-link-minter.h"
#include "gk-s3.h"

G_BEGIN_DECLS

#define GK_LINKS_ERROR (gk_links_error_quark ())

typedef enum
{
  GK_LINKS_ERROR_NO_INDEX,        /* the file needs an index and none of the usual names exists */
  GK_LINKS_ERROR_INVALID_EXPIRY,  /* less than one second asked for */
  GK_LINKS_ERROR_EXPIRED,         /* the credentials have (almost) run out */
} GkLinksError;

typedef enum
{
  GK_LINK_PRESIGNED, /* a SigV4 query-signed S3 URL */
  GK_LINK_GATEWAY,   /* a loopback gateway link, from the linker's minter */
} GkLinkKind;

/* Why a link lives shorter than asked. */
typedef enum
{
  GK_LINK_CAP_NONE = 0,
  GK_LINK_CAP_MAXIMUM,     /* S3's 7-day limit for query authentication */
  GK_LINK_CAP_CREDENTIALS, /* the credentials expire first: the link dies with them */
} GkLinkCap;

typedef enum
{
  GK_LINK_FLAGS_NONE = 0,
  GK_LINK_WITH_INDEX = 1 << 0, /* for a format read through an index (gk-genomic-file.h), find
                                  and sign it too; an error if none of its names exists */
  GK_LINK_ENDS_IN_NAME = 1 << 1, /* the link's text ends in the file's name and extension, for
                                    web apps that read the format from it (Chromoscope) */
} GkLinkFlags;

#define GK_TYPE_LINK (gk_link_get_type ())

typedef struct
{
  /*< private >*/
  gatomicrefcount ref_count;
  /*< public >*/
  GkLinkKind kind;
  char *bucket;
  char *key;
  char *url;
  char *index_key;   /* NULL when no index was asked for or needed */
  char *index_url;
  gint64 expires_at; /* Unix seconds; 0 for gateway links (they end with the sign-in) */
  guint expires_in;  /* the lifetime actually signed */
  GkLinkCap cap;
} GkLink;

GQuark     gk_links_error_quark       (void);
GType      gk_link_get_type           (void) G_GNUC_CONST;
GkLink    *gk_link_ref                (GkLink         *link);
void       gk_link_unref              (GkLink         *link);

/* Pure policy. */
guint      gk_links_clamp_expiry      (gint64          requested,
                                       GkCredentials  *credentials,
                                       gint64          now,
                                       GkLinkCap      *cap,
                                       GError        **error);

#define GK_TYPE_LINKER (gk_linker_get_type ())

G_DECLARE_FINAL_TYPE (GkLinker, gk_linker, GK, LINKER, GObject)

GkLinker   *gk_linker_new              (GkS3Client          *client);
GkS3Client *gk_linker_get_client       (GkLinker            *self);
void        gk_linker_set_minter       (GkLinker            *self,
                                        GkLinkMinter        *minter);
GkLinkMinter *gk_linker_get_minter     (GkLinker            *self);

void        gk_linker_sign_async       (GkLinker            *self,
                                        const char          *bucket,
                                        const char          *key,
                                        gint64               expires,
                                        GkLinkFlags          flags,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GkLink     *gk_linker_sign_finish      (GkLinker            *self,
                                        GAsyncResult        *result,
                                        GError             **error);

/* The batch path for cohorts: once the bucket's region is known
 * (gk_s3_client_get_bucket_region_async()), links are signed synchronously
 * with credentials the caller holds, straight into @out. */
gboolean    gk_linker_sign_now         (GkLinker            *self,
                                        GkCredentials       *credentials,
                                        const char          *bucket,
                                        const char          *key,
                                        guint                expires_in,
                                        gint64               now,
                                        GString             *out,
                                        GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkLink, gk_link_unref)

G_END_DECLS
