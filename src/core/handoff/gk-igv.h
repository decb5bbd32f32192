/* gk-igv.h: handing tracks to IGV desktop — its batch port, session files, launching it
 *
 * IGV listens on a TCP port (60151 unless changed in its preferences) for a
 * line protocol: one command per line, one reply line per command. The client
 * here speaks it; the session writer and the launcher cover "IGV is not
 * running". Facts: DESIGN.md section 7.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "gk-genomic-file.h"

G_BEGIN_DECLS

#define GK_IGV_DEFAULT_PORT 60151
#define GK_IGV_DEFAULT_COMMAND "igv"
/* Milliseconds to wait for each reply. `load` answers once IGV has read the
 * index and the first blocks, which over a slow link takes a while. */
#define GK_IGV_DEFAULT_TIMEOUT_MS 30000
/* Milliseconds a just-launched IGV gets to open its port (Debian's IGV 2.16
 * takes 4–8 s here; a cold JVM on a laptop much longer). */
#define GK_IGV_DEFAULT_LAUNCH_TIMEOUT_MS 90000
/* Session and genome files Genokey wrote are removed after a week (every
 * presigned link in them is dead by then: S3's limit is seven days). */
#define GK_IGV_CACHE_MAX_AGE_SECONDS (7 * 24 * 3600)

#define GK_IGV_ERROR (gk_igv_error_quark ())

typedef enum
{
  GK_IGV_ERROR_NOT_RUNNING,       /* nothing listens on the port */
  GK_IGV_ERROR_TIMEOUT,           /* connected, but no reply in time */
  GK_IGV_ERROR_DISCONNECTED,      /* the connection closed before the reply */
  GK_IGV_ERROR_UNKNOWN_COMMAND,   /* IGV does not know the command */
  GK_IGV_ERROR_FAILED,            /* IGV replied with an error */
  GK_IGV_ERROR_NOT_IGV,           /* something else answers on the port */
  GK_IGV_ERROR_SIGN_IN_ACTIVE,    /* a sign-in holds the port: do not launch */
  GK_IGV_ERROR_SANDBOXED,         /* inside Flatpak IGV cannot be started */
  GK_IGV_ERROR_LAUNCH_FAILED,     /* the command could not be run or exited */
  GK_IGV_ERROR_LINK_BROKEN,       /* a link or index does not answer */
  GK_IGV_ERROR_INVALID,           /* bad arguments (no tracks, bad names) */
} GkIgvError;

GQuark gk_igv_error_quark (void);

/* One track: a (signed) link, its index link, a display name and IGV's
 * format name ("bam", "cram", "vcf", "bed", "bedpe", …; see
 * gk_genomic_file_classify()). */
typedef struct
{
  char *url;
  char *index_url;  /* nullable: formats without an index */
  char *name;
  char *format;     /* nullable: IGV guesses from the path */
} GkIgvTrack;

GkIgvTrack *gk_igv_track_new         (const char        *url,
                                      const char        *index_url,
                                      const char        *name,
                                      const char        *format);
void        gk_igv_track_free        (GkIgvTrack        *track);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GkIgvTrack, gk_igv_track_free)

/* Pure pieces, exposed for tests. */
char       *gk_igv_load_command      (const GkIgvTrack  *track);
gboolean    gk_igv_argument_is_valid (const char        *value,
                                      const char        *what,
                                      GError           **error);
char       *gk_igv_session_xml       (const char        *genome,
                                      const char        *locus,
                                      GPtrArray         *tracks);
char       *gk_igv_redact_reply      (const char        *reply);
gboolean    gk_igv_check_reply       (const char        *command,
                                      const char        *reply,
                                      GError           **error);

/* The port client. */
#define GK_TYPE_IGV_CLIENT (gk_igv_client_get_type ())

G_DECLARE_FINAL_TYPE (GkIgvClient, gk_igv_client, GK, IGV_CLIENT, GObject)

GkIgvClient *gk_igv_client_new                  (guint16               port);
guint16      gk_igv_client_get_port             (GkIgvClient          *self);
void         gk_igv_client_set_timeout          (GkIgvClient          *self,
                                                 guint                 timeout_ms);
guint        gk_igv_client_get_timeout          (GkIgvClient          *self);
SoupSession *gk_igv_client_get_http_session     (GkIgvClient          *self);

void         gk_igv_client_probe_async          (GkIgvClient          *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean     gk_igv_client_probe_finish         (GkIgvClient          *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

void         gk_igv_client_send_async           (GkIgvClient          *self,
                                                 const char * const   *commands,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GStrv        gk_igv_client_send_finish          (GkIgvClient          *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

void         gk_igv_client_load_async           (GkIgvClient          *self,
                                                 const char           *genome,
                                                 const char           *locus,
                                                 GPtrArray            *tracks,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean     gk_igv_client_load_finish          (GkIgvClient          *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Session files and launching. */
gboolean     gk_igv_write_session_file          (const char           *xml,
                                                 const char           *directory,
                                                 char                **out_path,
                                                 GError              **error);
/* A lab's own reference as an IGV JSON genome: IGV's `genome` command and
 * sessions take no index for a FASTA link, and the one IGV derives from a
 * signed link breaks its signature. */
char        *gk_igv_genome_json                 (const char           *name,
                                                 const char           *fasta_url,
                                                 const char           *index_url);
gboolean     gk_igv_write_genome_file           (const char           *json,
                                                 const char           *directory,
                                                 char                **out_path,
                                                 GError              **error);
gboolean     gk_igv_is_sandboxed                (void);
char        *gk_igv_default_genome              (void);
GStrv        gk_igv_launch_argv                 (const char           *command_line,
                                                 const char           *session_path,
                                                 guint16               port,
                                                 GError              **error);

void         gk_igv_launch_async                (const char           *command_line,
                                                 const char           *session_path,
                                                 guint16               port,
                                                 gboolean              sign_in_active,
                                                 guint                 timeout_ms,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean     gk_igv_launch_finish               (GAsyncResult         *result,
                                                 GError              **error);

/* The whole hand-off, as `genokey igv` and the window do it: check every
 * link and index, then send the tracks to a running IGV, or write a session
 * and start IGV with it. */
typedef enum
{
  GK_IGV_OPENED_NONE,      /* failed */
  GK_IGV_OPENED_SENT,      /* sent to a running IGV */
  GK_IGV_OPENED_LAUNCHED,  /* IGV started with a session file */
} GkIgvOpened;

void         gk_igv_open_tracks_async           (GkIgvClient          *client,
                                                 const char           *genome,
                                                 const char           *locus,
                                                 GPtrArray            *tracks,
                                                 const char           *igv_command,
                                                 gboolean              sign_in_active,
                                                 guint                 launch_timeout_ms,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GkIgvOpened  gk_igv_open_tracks_finish          (GkIgvClient          *client,
                                                 GAsyncResult         *result,
                                                 char                **session_path,
                                                 GError              **error);

/* Checks that a link answers a 1-byte range GET (a HEAD would not match a
 * link signed for GET). @label names it in errors; the link never appears.
 * @session may be %NULL for a new one. */
void         gk_igv_check_link_async            (SoupSession          *session,
                                                 const char           *url,
                                                 const char           *label,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean     gk_igv_check_link_finish           (GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
