/* gk-session-state.h: where a sign-in stands, and the moves between states
 *
 * SIGNED_OUT → SIGNING_IN → SIGNED_IN ⇄ RENEWING, and NEEDS_SIGN_IN once the
 * identity provider refuses the refresh token. Every change of a session's
 * state goes through gk_session_state_move(), which checks it against one
 * table; a move the table does not allow is a programming error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  GK_SESSION_STATE_SIGNED_OUT,
  GK_SESSION_STATE_SIGNING_IN,
  GK_SESSION_STATE_SIGNED_IN,
  GK_SESSION_STATE_RENEWING,
  GK_SESSION_STATE_NEEDS_SIGN_IN,
} GkSessionState;

#define GK_SESSION_N_STATES (GK_SESSION_STATE_NEEDS_SIGN_IN + 1)

#define GK_TYPE_SESSION_STATE (gk_session_state_get_type ())

GType        gk_session_state_get_type  (void) G_GNUC_CONST;
const char  *gk_session_state_to_string (GkSessionState  state);

/* Pure: whether the table allows @from → @to. Staying is not a move and
 * always allowed. */
gboolean     gk_session_state_can_move  (GkSessionState  from,
                                         GkSessionState  to);

/* Moves *@state to @to. Returns whether it changed; a move the table
 * refuses leaves it as it is, with a critical warning naming both states. */
gboolean     gk_session_state_move      (GkSessionState *state,
                                         GkSessionState  to);

G_END_DECLS
