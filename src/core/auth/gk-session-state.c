/* gk-session-state.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gk-session-state.h"

G_DEFINE_ENUM_TYPE (GkSessionState, gk_session_state,
  G_DEFINE_ENUM_VALUE (GK_SESSION_STATE_SIGNED_OUT, "signed-out"),
  G_DEFINE_ENUM_VALUE (GK_SESSION_STATE_SIGNING_IN, "signing-in"),
  G_DEFINE_ENUM_VALUE (GK_SESSION_STATE_SIGNED_IN, "signed-in"),
  G_DEFINE_ENUM_VALUE (GK_SESSION_STATE_RENEWING, "renewing"),
  G_DEFINE_ENUM_VALUE (GK_SESSION_STATE_NEEDS_SIGN_IN, "needs-sign-in"))

#define OUT   GK_SESSION_STATE_SIGNED_OUT
#define GOING GK_SESSION_STATE_SIGNING_IN
#define IN    GK_SESSION_STATE_SIGNED_IN
#define RENEW GK_SESSION_STATE_RENEWING
#define NEEDS GK_SESSION_STATE_NEEDS_SIGN_IN

/* Every move a session makes, and why. Anything else is a bug: renewing
 * without a sign-in, or needing a new sign-in without a renewal having
 * been refused. */
static const struct
{
  GkSessionState from;
  GkSessionState to;
} moves[] = {
  { OUT,   GOING }, /* a sign-in's listener is bound: the browser may come back */
  { OUT,   IN    }, /* restore found a refresh token in the keyring */
  { GOING, IN    }, /* the sign-in is stored */
  { GOING, OUT   }, /* the sign-in failed or was cancelled, or signed out meanwhile */
  { GOING, NEEDS }, /* the sign-in failed, back to a sign-in that had ended */
  { GOING, RENEW }, /* the sign-in failed, back to a renewal that still runs */
  { IN,    GOING }, /* signing in again (another user, or a fresh start) */
  { IN,    RENEW }, /* the credentials are due, or a caller needs longer ones */
  { IN,    OUT   }, /* signed out */
  { RENEW, IN    }, /* renewed, or failed for now (the refresh token still works) */
  { RENEW, NEEDS }, /* the identity provider refused the refresh token */
  { RENEW, OUT   }, /* signed out while renewing; the renewal's result is stale */
  { RENEW, GOING }, /* a sign-in started while renewing; the renewal's result waits */
  { NEEDS, GOING }, /* the user signs in again */
  { NEEDS, OUT   }, /* signed out */
};

const char *
gk_session_state_to_string (GkSessionState state)
{
  switch (state)
    {
    case GK_SESSION_STATE_SIGNED_OUT: return "signed-out";
    case GK_SESSION_STATE_SIGNING_IN: return "signing-in";
    case GK_SESSION_STATE_SIGNED_IN: return "signed-in";
    case GK_SESSION_STATE_RENEWING: return "renewing";
    case GK_SESSION_STATE_NEEDS_SIGN_IN: return "needs-sign-in";
    default: return "unknown";
    }
}

/**
 * gk_session_state_can_move:
 *
 * Returns: whether a session may go from @from to @to
 */
gboolean
gk_session_state_can_move (GkSessionState from,
                           GkSessionState to)
{
  if (from == to)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    if (moves[i].from == from && moves[i].to == to)
      return TRUE;
  return FALSE;
}

/**
 * gk_session_state_move:
 * @state: (inout): the state to change
 * @to: where to
 *
 * Returns: %TRUE if *@state changed
 */
gboolean
gk_session_state_move (GkSessionState *state,
                       GkSessionState  to)
{
  g_return_val_if_fail (state != NULL, FALSE);

  if (*state == to)
    return FALSE;
  if (!gk_session_state_can_move (*state, to))
    {
      g_critical ("Refused session state change %s -> %s", gk_session_state_to_string (*state),
                  gk_session_state_to_string (to));
      return FALSE;
    }
  *state = to;
  return TRUE;
}
