/* gk-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "gk-account-private.h"
#include "gk-sources.h"

G_DEFINE_FINAL_TYPE (GkAccount, gk_account, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (GkAccountState, gk_account_state,
  G_DEFINE_ENUM_VALUE (GK_ACCOUNT_STATE_NO_PROFILE, "no-profile"),
  G_DEFINE_ENUM_VALUE (GK_ACCOUNT_STATE_LOADING, "loading"),
  G_DEFINE_ENUM_VALUE (GK_ACCOUNT_STATE_SIGNED_OUT, "signed-out"),
  G_DEFINE_ENUM_VALUE (GK_ACCOUNT_STATE_SIGNING_IN, "signing-in"),
  G_DEFINE_ENUM_VALUE (GK_ACCOUNT_STATE_SIGNED_IN, "signed-in"))

enum {
  PROP_0,
  PROP_STORE,
  PROP_KEYRING,
  PROP_AUTO_RENEW,
  PROP_PROFILES,
  PROP_PROFILE,
  PROP_STATE,
  PROP_SOURCE,
  PROP_SESSION,
  PROP_S3_CLIENT,
  PROP_NEEDS_SIGN_IN,
  PROP_EXPIRY_WARNING,
  PROP_SIGN_IN_ERROR,
  N_PROPS
};

enum {
  CHANGED,
  AUTHORIZATION_PENDING,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* A profile becomes its credential source in gk_sources_open_for_profile():
 * a lab sign-in its GkSession, other kinds (access keys, AssumeRole, an
 * instance profile) their own GkCredentialSource. */
static GkCredentialSource *
make_source (GkAccount  *self,
             GkProfile  *profile,
             GError    **error)
{
  GkCredentialSource *source = gk_sources_open_for_profile (self->store, profile,
                                                            gk_account_get_keyring (self), error);

  if (source != NULL && GK_IS_SESSION (source))
    gk_session_set_auto_renew (GK_SESSION (source), self->auto_renew);
  return source;
}

/* ------------------------------------------------------------------------
 * State
 * ------------------------------------------------------------------------ */

static GkAccountState
compute_state (GkAccount *self)
{
  if (self->profile == NULL)
    return GK_ACCOUNT_STATE_NO_PROFILE;
  if (self->restore_cancellable != NULL)
    return GK_ACCOUNT_STATE_LOADING;
  if (self->source == NULL)
    return GK_ACCOUNT_STATE_SIGNED_OUT;
  /* A source that is not a sign-in has nothing to sign in to. */
  if (self->session == NULL)
    return GK_ACCOUNT_STATE_SIGNED_IN;

  switch (gk_session_get_state (self->session))
    {
    case GK_SESSION_STATE_SIGNING_IN:
      return GK_ACCOUNT_STATE_SIGNING_IN;
    case GK_SESSION_STATE_SIGNED_IN:
    case GK_SESSION_STATE_RENEWING:
      return GK_ACCOUNT_STATE_SIGNED_IN;
    case GK_SESSION_STATE_NEEDS_SIGN_IN:
      /* Needing a sign-in does not end the work: the credentials in hand
       * stay good until they expire. */
      return gk_session_get_credentials_expiration (self->session) > now_unix ()
        ? GK_ACCOUNT_STATE_SIGNED_IN : GK_ACCOUNT_STATE_SIGNED_OUT;
    case GK_SESSION_STATE_SIGNED_OUT:
    default:
      return GK_ACCOUNT_STATE_SIGNED_OUT;
    }
}

static gboolean
on_expired_cb (gpointer user_data)
{
  GkAccount *self = user_data;

  self->expired_id = 0;
  _gk_account_update (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_expiry_warning_cb (gpointer user_data)
{
  GkAccount *self = user_data;

  self->expiry_warning_id = 0;
  self->expiry_warning = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRY_WARNING]);
  return G_SOURCE_REMOVE;
}

static void
clear_attention (GkAccount *self)
{
  g_clear_handle_id (&self->expiry_warning_id, g_source_remove);
  self->expiry_warning_skipped = FALSE;
  if (self->expiry_warning)
    {
      self->expiry_warning = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRY_WARNING]);
    }
  if (self->needs_sign_in)
    {
      self->needs_sign_in = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_SIGN_IN]);
    }
}

/* needs-sign-in follows the session; expiry-warning comes a few minutes
 * before credentials that cannot be renewed run out. */
static void
update_attention (GkAccount *self,
                  gint64     now)
{
  gboolean newly;
  gint64 expiration, delay;

  if (self->session == NULL || gk_session_get_state (self->session) != GK_SESSION_STATE_NEEDS_SIGN_IN)
    {
      clear_attention (self);
      return;
    }

  newly = !self->needs_sign_in;
  if (newly)
    {
      self->needs_sign_in = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_SIGN_IN]);
    }
  expiration = gk_session_get_credentials_expiration (self->session);
  if (self->expiry_warning || self->expiry_warning_skipped || self->expiry_warning_id != 0
      || expiration <= now)
    return;

  delay = expiration - GK_ACCOUNT_EXPIRY_WARNING_SECONDS - now;
  /* Within the last minutes already: whoever tells the user that renewal
   * needs them says it now, and a second message at the same moment would
   * only repeat it. */
  if (delay <= 0 && newly)
    self->expiry_warning_skipped = TRUE;
  else if (delay <= 0)
    on_expiry_warning_cb (self);
  else
    self->expiry_warning_id = g_timeout_add_seconds ((guint) MIN (delay, G_MAXUINT),
                                                     on_expiry_warning_cb, self);
}

/* Everything that follows the source (the state, the S3 client, the
 * attention properties, the gateway) made to agree with it again. */
void
_gk_account_update (GkAccount *self)
{
  GkAccountState state = compute_state (self);
  gint64 now = now_unix ();

  /* The client first, so whoever follows the state finds it. */
  if (state == GK_ACCOUNT_STATE_SIGNED_IN && self->client == NULL)
    {
      self->client = gk_s3_client_new_for_profile (self->profile, self->source);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_S3_CLIENT]);
    }
  else if (state != GK_ACCOUNT_STATE_SIGNED_IN && self->client != NULL)
    {
      g_clear_object (&self->client);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_S3_CLIENT]);
    }

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  update_attention (self, now);

  /* Credentials that will not be renewed end the sign-in when they run
   * out, without anything else happening then. */
  g_clear_handle_id (&self->expired_id, g_source_remove);
  if (state == GK_ACCOUNT_STATE_SIGNED_IN && self->session != NULL
      && gk_session_get_state (self->session) == GK_SESSION_STATE_NEEDS_SIGN_IN)
    {
      gint64 left = gk_session_get_credentials_expiration (self->session) - now;

      self->expired_id = g_timeout_add_seconds ((guint) CLAMP (left + 1, 1, G_MAXUINT),
                                                on_expired_cb, self);
    }

  /* The gateway is told, not asked: it knows nothing of the account. */
  if (self->gateway != NULL)
    gk_gateway_service_follow (self->gateway, self->profile, self->session, self->client,
                               state == GK_ACCOUNT_STATE_LOADING);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
_gk_account_set_sign_in_error (GkAccount    *self,
                               const GError *error)
{
  if (self->sign_in_error == NULL && error == NULL)
    return;
  g_clear_error (&self->sign_in_error);
  if (error != NULL)
    self->sign_in_error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGN_IN_ERROR]);
}

/* ------------------------------------------------------------------------
 * The selected profile and its source
 * ------------------------------------------------------------------------ */

static void
finish_restore_waiters (GkAccount    *self,
                        const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->restore_waiters);

  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      GTask *task = waiters->pdata[i];

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
on_session_changed_cb (GkAccount *self)
{
  _gk_account_update (self);
}

static void
on_authorization_pending_cb (GkSession  *session,
                             const char *uri,
                             gboolean    browser_opened,
                             GkAccount  *self)
{
  g_signal_emit (self, signals[AUTHORIZATION_PENDING], 0, uri, browser_opened);
}

static void
drop_source (GkAccount *self)
{
  g_autoptr(GError) replaced = NULL;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_cancellable_cancel (self->restore_cancellable);
  g_clear_object (&self->restore_cancellable);
  g_clear_error (&self->open_error);
  replaced = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                  _("Another profile was chosen meanwhile."));
  finish_restore_waiters (self, replaced);
  g_cancellable_cancel (self->sign_in_cancellable);
  g_clear_object (&self->sign_in_cancellable);
  _gk_account_set_sign_in_error (self, NULL);
  g_clear_handle_id (&self->expired_id, g_source_remove);
  clear_attention (self);
  if (self->client != NULL)
    {
      g_clear_object (&self->client);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_S3_CLIENT]);
    }
  if (self->source != NULL)
    {
      g_clear_object (&self->session);
      g_clear_object (&self->source);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
    }
}

static void
on_restore_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GkAccount) self = user_data;
  g_autoptr(GError) error = NULL;

  gk_session_restore_finish (GK_SESSION (object), result, &error);
  /* Another profile took this one's place (and cancelled this read). */
  if (GK_SESSION (object) != self->session)
    return;

  g_clear_object (&self->restore_cancellable);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->open_error = g_error_copy (error);
      g_signal_emit (self, signals[FAILED], 0, error);
    }
  _gk_account_update (self);
  finish_restore_waiters (self, error);
}

/* Makes @profile the selected one, its source fresh, and starts reading
 * its sign-in from the keyring (with @cancellable, when given). */
static void
set_profile (GkAccount    *self,
             GkProfile    *profile,
             gboolean      remember,
             GCancellable *cancellable)
{
  drop_source (self);
  g_set_object (&self->profile, profile);

  if (profile != NULL)
    {
      self->source = make_source (self, profile, &self->open_error);
      if (self->source != NULL && GK_IS_SESSION (self->source))
        self->session = g_object_ref (GK_SESSION (self->source));
      if (remember)
        /* The command line follows the window's choice too. */
        gk_profile_store_set_last_used (self->store, gk_profile_get_name (profile));
    }
  if (self->session != NULL)
    {
      g_signal_connect_swapped (self->session, "notify::state", G_CALLBACK (on_session_changed_cb), self);
      g_signal_connect_swapped (self->session, "notify::credentials-expiration",
                                G_CALLBACK (on_session_changed_cb), self);
      g_signal_connect_swapped (self->session, "notify::email", G_CALLBACK (on_session_changed_cb), self);
      g_signal_connect_swapped (self->session, "notify::renewal-error",
                                G_CALLBACK (on_session_changed_cb), self);
      g_signal_connect (self->session, "authorization-pending",
                        G_CALLBACK (on_authorization_pending_cb), self);
      self->restore_cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
      gk_session_restore_async (self->session, self->restore_cancellable, on_restore_cb,
                                g_object_ref (self));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
  if (self->source != NULL)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
    }
  _gk_account_update (self);
  /* A source profile that is missing, or a chain of roles that leads back
   * to itself: nothing can be had from this profile, and the user is told. */
  if (self->open_error != NULL)
    g_signal_emit (self, signals[FAILED], 0, self->open_error);
}

static GkProfile *
find_profile (GkAccount  *self,
              const char *name)
{
  for (guint i = 0; name != NULL && self->profiles != NULL && i < self->profiles->len; i++)
    if (g_str_equal (gk_profile_get_name (self->profiles->pdata[i]), name))
      return self->profiles->pdata[i];
  return NULL;
}

/* ------------------------------------------------------------------------
 * GObject
 * ------------------------------------------------------------------------ */

static void
gk_account_dispose (GObject *object)
{
  GkAccount *self = GK_ACCOUNT (object);

  /* The gateway first: it follows the source that is dropped next, and
   * what it still waits for is not coming. */
  if (self->gateway != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->gateway, self);
      gk_gateway_service_follow (self->gateway, NULL, NULL, NULL, FALSE);
    }
  g_clear_object (&self->gateway);
  drop_source (self);
  g_clear_handle_id (&self->expiry_warning_id, g_source_remove);
  g_clear_object (&self->profile);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_object (&self->keyring);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (gk_account_parent_class)->dispose (object);
}

static void
gk_account_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GkAccount *self = GK_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_KEYRING:
      g_value_set_object (value, gk_account_get_keyring (self));
      break;
    case PROP_AUTO_RENEW:
      g_value_set_boolean (value, self->auto_renew);
      break;
    case PROP_PROFILES:
      g_value_set_boxed (value, self->profiles);
      break;
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_S3_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_NEEDS_SIGN_IN:
      g_value_set_boolean (value, self->needs_sign_in);
      break;
    case PROP_EXPIRY_WARNING:
      g_value_set_boolean (value, self->expiry_warning);
      break;
    case PROP_SIGN_IN_ERROR:
      g_value_set_boxed (value, self->sign_in_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_account_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  GkAccount *self = GK_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_KEYRING:
      self->keyring = g_value_dup_object (value);
      break;
    case PROP_AUTO_RENEW:
      gk_account_set_auto_renew (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gk_account_constructed (GObject *object)
{
  GkAccount *self = GK_ACCOUNT (object);

  G_OBJECT_CLASS (gk_account_parent_class)->constructed (object);

  if (self->store == NULL)
    self->store = gk_profile_store_new (NULL);
}

static void
gk_account_class_init (GkAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gk_account_constructed;
  object_class->dispose = gk_account_dispose;
  object_class->get_property = gk_account_get_property;
  object_class->set_property = gk_account_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, GK_TYPE_PROFILE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEYRING] =
    g_param_spec_object ("keyring", NULL, NULL, GK_TYPE_KEYRING,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTO_RENEW] =
    g_param_spec_boolean ("auto-renew", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILES] =
    g_param_spec_boxed ("profiles", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, GK_TYPE_PROFILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, GK_TYPE_ACCOUNT_STATE, GK_ACCOUNT_STATE_NO_PROFILE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, GK_TYPE_CREDENTIAL_SOURCE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, GK_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_S3_CLIENT] =
    g_param_spec_object ("s3-client", NULL, NULL, GK_TYPE_S3_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEEDS_SIGN_IN] =
    g_param_spec_boolean ("needs-sign-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRY_WARNING] =
    g_param_spec_boolean ("expiry-warning", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGN_IN_ERROR] =
    g_param_spec_boxed ("sign-in-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GkAccount::changed:
   *
   * Something a view of the account shows may have changed: the state, or
   * the sign-in's details (who, until when, renewing, why renewal failed).
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * GkAccount::authorization-pending:
   * @uri: the lab's login page (never log it: it carries the PKCE state)
   * @browser_opened: whether a browser was asked to open it
   *
   * The sign-in listens for the browser's return.
   */
  signals[AUTHORIZATION_PENDING] =
    g_signal_new ("authorization-pending", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /**
   * GkAccount::failed:
   * @error: what went wrong
   *
   * Something the account did on its own failed (reading the selected
   * profile's sign-in from the keyring), with no caller to tell.
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
gk_account_init (GkAccount *self)
{
}

/* ------------------------------------------------------------------------
 * Public API
 * ------------------------------------------------------------------------ */

/**
 * gk_account_new:
 * @store: (nullable): the profiles; %NULL for the user's own
 * @keyring: (nullable): where sign-ins are kept; %NULL for the desktop's
 *   keyring, reached on first use
 *
 * Nothing is read until gk_account_reload_profiles() or
 * gk_account_open_async().
 */
GkAccount *
gk_account_new (GkProfileStore *store,
                GkKeyring      *keyring)
{
  g_return_val_if_fail (store == NULL || GK_IS_PROFILE_STORE (store), NULL);
  g_return_val_if_fail (keyring == NULL || GK_IS_KEYRING (keyring), NULL);

  return g_object_new (GK_TYPE_ACCOUNT, "store", store, "keyring", keyring, NULL);
}

GkProfileStore *
gk_account_get_store (GkAccount *self)
{
  g_return_val_if_fail (GK_IS_ACCOUNT (self), NULL);
  return self->store;
}

GkKeyring *
gk_account_get_keyring (GkAccount *self)
{
  g_return_val_if_fail (GK_IS_ACCOUNT (self), NULL);

  if (self->keyring == NULL)
    self->keyring = gk_keyring_new ();
  return self->keyring;
}

/**
 * gk_account_set_auto_renew:
 *
 * Long-running processes (the window, a service) renew on a timer before
 * the credentials expire and retry failed renewals; one-shot commands
 * leave it off and renew when asked for credentials.
 */
void
gk_account_set_auto_renew (GkAccount *self,
                           gboolean   auto_renew)
{
  g_return_if_fail (GK_IS_ACCOUNT (self));

  auto_renew = !!auto_renew;
  if (self->auto_renew == auto_renew)
    return;
  self->auto_renew = auto_renew;
  if (self->session != NULL)
    gk_session_set_auto_renew (self->session, auto_renew);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_RENEW]);
}

gboolean
gk_account_get_auto_renew (GkAccount *self)
{
  g_return_val_if_fail (GK_IS_ACCOUNT (self), FALSE);
  return self->auto_renew;
}

/**
 * gk_account_reload_profiles:
 * @select: (nullable): the profile to select; %NULL keeps the selected one
 *   while it still exists
 *
 * Reads the profiles again (after an import, or at start-up) and selects
 * one as gk_account_select_profile() does.
 *
 * Returns: %FALSE with @error set when the profiles folder cannot be read;
 *   the account then has no profiles
 */
gboolean
gk_account_reload_profiles (GkAccount   *self,
                            const char  *select,
                            GError     **error)
{
  g_autoptr(GPtrArray) profiles = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (GK_IS_ACCOUNT (self), FALSE);

  profiles = gk_profile_store_list (self->store, error);
  if (profiles == NULL)
    {
      profiles = g_ptr_array_new_with_free_func (g_object_unref);
      ok = FALSE;
    }
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  self->profiles = g_steal_pointer (&profiles);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILES]);

  gk_account_select_profile (self, select != NULL ? select
                             : self->profile != NULL ? gk_profile_get_name (self->profile) : NULL);
  g_signal_emit (self, signals[CHANGED], 0);
  return ok;
}

/**
 * gk_account_get_profiles:
 *
 * Returns: (transfer none) (element-type GkProfile): the profiles, by name
 */
GPtrArray *
gk_account_get_profiles (GkAccount *self)
{
  g_return_val_if_fail (GK_IS_ACCOUNT (self), NULL);

  if (self->profiles == NULL)
    self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  return self->profiles;
}

/**
 * gk_account_select_profile:
 * @name: (nullable): the profile's name
 *
 * Selects @name among the profiles read last; when there is none by that
 * name, the one used last, else the first. A new selection is remembered
 * as the one used last, and its sign-in is read from the keyring (state
 * %GK_ACCOUNT_STATE_LOADING meanwhile). Selecting the selected profile
 * again changes nothing.
 */
void
gk_account_select_profile (GkAccount  *self,
                           const char *name)
{
  GkProfile *found;

  g_return_if_fail (GK_IS_ACCOUNT (self));

  found = find_profile (self, name);
  if (found == NULL)
    {
      g_autofree char *last = gk_profile_store_dup_last_used (self->store);

      found = find_profile (self, last);
    }
  if (found == NULL && self->profiles != NULL && self->profiles->len > 0)
    found = self->profiles->pdata[0];

  /* Profiles read again are new objects: the same name is the same
   * profile, and its sign-in goes on. */
  if (found != NULL && self->profile != NULL
      && g_str_equal (gk_profile_get_name (found), gk_profile_get_name (self->profile)))
    return;
  if (found == self->profile)
    return;
  set_profile (self, found, TRUE, NULL);
}

/**
 * gk_account_open_async:
 * @name: (nullable): the profile; %NULL for the only one, else the one
 *   used last
 *
 * Selects a profile the way a command does: strictly (an unknown name or
 * a choice left open is an error), without remembering it as the one used
 * last, and completes once its sign-in has been read from the keyring.
 */
void
gk_account_open_async (GkAccount           *self,
                       const char          *name,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GkProfile) profile = NULL;
  GError *error = NULL;

  g_return_if_fail (GK_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gk_account_open_async);

  profile = gk_profile_store_resolve (self->store, name, &error);
  if (profile == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  set_profile (self, profile, FALSE, cancellable);
  if (self->state != GK_ACCOUNT_STATE_LOADING)
    {
      if (self->open_error != NULL)
        g_task_return_error (task, g_error_copy (self->open_error));
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->restore_waiters == NULL)
    self->restore_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->restore_waiters, g_steal_pointer (&task));
}

gboolean
gk_account_open_finish (GkAccount     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gk_account_get_profile:
 *
 * Returns: (transfer none) (nullable): the selected profile
 */
GkProfile *
gk_account_get_profile (GkAccount *self)
{
  g_return_val_if_fail (GK_IS_ACCOUNT (self), NULL);
  return self->profile;
}

GkAccountState
gk_account_get_state (GkAccount *self)
{
  g_return_val_if_fail (GK_IS_ACCOUNT (self), GK_ACCOUNT_STATE_NO_PROFILE);
  return self->state;
}

/**
 * gk_account_get_source:
 *
 * What every consumer of credentials asks: it renews when it can.
 *
 * Returns: (transfer none) (nullable): the selected profile's credential
 *   source; %NULL without a profile
 */
GkCredentialSource *
gk_account_get_source (GkAccount *self)
{
  g_return_val_if_fail (GK_IS_ACCOUNT (self), NULL);
  return self->source;
}

/**
 * gk_account_get_session:
 *
 * For what only a lab sign-in has: who signed in, renewal, the login page.
 *
 * Returns: (transfer none) (nullable): the selected profile's sign-in;
 *   %NULL without a profile, or when its source is not a sign-in
 */
GkSession *
gk_account_get_session (GkAccount *self)
{
  g_return_val_if_fail (GK_IS_ACCOUNT (self), NULL);
  return self->session;
}

/**
 * gk_account_get_s3_client:
 *
 * Returns: (transfer none) (nullable): an S3 client over the source, set up
 *   from the profile; %NULL unless %GK_ACCOUNT_STATE_SIGNED_IN
 */
GkS3Client *
gk_account_get_s3_client (GkAccount *self)
{
  g_return_val_if_fail (GK_IS_ACCOUNT (self), NULL);
  return self->client;
}

/**
 * gk_account_get_needs_sign_in:
 *
 * Returns: whether renewal was refused (the sign-in expired or was revoked)
 *   and only a new sign-in helps; the credentials in hand may still work
 */
gboolean
gk_account_get_needs_sign_in (GkAccount *self)
{
  g_return_val_if_fail (GK_IS_ACCOUNT (self), FALSE);
  return self->needs_sign_in;
}

/**
 * gk_account_get_expiry_warning:
 *
 * Returns: whether credentials that cannot be renewed run out within
 *   %GK_ACCOUNT_EXPIRY_WARNING_SECONDS. It stays %FALSE when renewal was
 *   refused already within those minutes, because #GkAccount:needs-sign-in
 *   turning %TRUE says the same at that moment.
 */
gboolean
gk_account_get_expiry_warning (GkAccount *self)
{
  g_return_val_if_fail (GK_IS_ACCOUNT (self), FALSE);
  return self->expiry_warning;
}

/**
 * gk_account_get_sign_in_error:
 *
 * Returns: (nullable): why the last sign-in failed, until the next sign-in,
 *   a cancel, gk_account_clear_sign_in_error() or another profile
 */
const GError *
gk_account_get_sign_in_error (GkAccount *self)
{
  g_return_val_if_fail (GK_IS_ACCOUNT (self), NULL);
  return self->sign_in_error;
}

/**
 * gk_account_get_gateway:
 *
 * The account's loopback gateway, made on first use: it serves the
 * selected profile while it is signed in and forgets it at its sign-out.
 * Only the process that answers for the account (the application's
 * primary instance) should ask for it.
 *
 * Returns: (transfer none): the gateway service
 */
static void
on_gateway_reopened_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  /* The account shows what the keyring now holds; nothing to report. */
  gk_account_open_finish (GK_ACCOUNT (object), result, NULL);
}

/* Signed out elsewhere: the window shows what the keyring now says. */
static void
on_gateway_forgotten_cb (GkGatewayService *gateway,
                         const char       *profile,
                         GkAccount        *self)
{
  if (self->profile != NULL && g_str_equal (gk_profile_get_name (self->profile), profile))
    gk_account_open_async (self, profile, NULL, on_gateway_reopened_cb, NULL);
}

GkGatewayService *
gk_account_get_gateway (GkAccount *self)
{
  g_return_val_if_fail (GK_IS_ACCOUNT (self), NULL);

  if (self->gateway == NULL)
    {
      self->gateway = gk_gateway_service_new (self->store, gk_account_get_keyring (self), NULL);
      g_signal_connect (self->gateway, "forgotten", G_CALLBACK (on_gateway_forgotten_cb), self);
      gk_gateway_service_follow (self->gateway, self->profile, self->session, self->client,
                                 self->state == GK_ACCOUNT_STATE_LOADING);
    }
  return self->gateway;
}
