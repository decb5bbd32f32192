/* test-session-state.c: the one table every session state change goes through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gk-session-state.h"

#define OUT   GK_SESSION_STATE_SIGNED_OUT
#define GOING GK_SESSION_STATE_SIGNING_IN
#define IN    GK_SESSION_STATE_SIGNED_IN
#define RENEW GK_SESSION_STATE_RENEWING
#define NEEDS GK_SESSION_STATE_NEEDS_SIGN_IN

/* Written out here from the design, not copied from the code: every move
 * a session needs, and the ones that would be bugs. */
static const struct
{
  GkSessionState from;
  GkSessionState to;
  gboolean allowed;
} expected[] = {
  { OUT,   GOING, TRUE  },
  { OUT,   IN,    TRUE  },
  { OUT,   RENEW, FALSE }, /* nothing to renew */
  { OUT,   NEEDS, FALSE }, /* nothing was refused */
  { GOING, OUT,   TRUE  },
  { GOING, IN,    TRUE  },
  { GOING, RENEW, TRUE  },
  { GOING, NEEDS, TRUE  },
  { IN,    OUT,   TRUE  },
  { IN,    GOING, TRUE  },
  { IN,    RENEW, TRUE  },
  { IN,    NEEDS, FALSE }, /* only a renewal finds a refresh token refused */
  { RENEW, OUT,   TRUE  },
  { RENEW, GOING, TRUE  },
  { RENEW, IN,    TRUE  },
  { RENEW, NEEDS, TRUE  },
  { NEEDS, OUT,   TRUE  },
  { NEEDS, GOING, TRUE  },
  { NEEDS, IN,    FALSE }, /* a refused sign-in comes back only by signing in */
  { NEEDS, RENEW, FALSE }, /* no renewing with a refused refresh token */
};

static void
test_move (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  GkSessionState from = expected[i].from;
  GkSessionState to = expected[i].to;
  GkSessionState state = from;

  g_assert_cmpint (gk_session_state_can_move (from, to), ==, expected[i].allowed);

  if (expected[i].allowed)
    {
      g_assert_true (gk_session_state_move (&state, to));
      g_assert_cmpint (state, ==, to);
      return;
    }

  /* A refused move is a programming error: a critical warning naming both
   * states (fatal under the tests' G_DEBUG), and the state stays. */
  if (g_test_subprocess ())
    {
      g_assert_false (gk_session_state_move (&state, to));
      g_assert_cmpint (state, ==, from);
      return;
    }
  {
    g_autofree char *pattern = g_strdup_printf ("*Refused session state change %s -> %s*",
                                                gk_session_state_to_string (from),
                                                gk_session_state_to_string (to));

    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed ();
    g_test_trap_assert_stderr (pattern);
  }
}

static void
test_every_pair_listed (void)
{
  /* The list above covers every pair of different states exactly once. */
  for (int from = 0; from < GK_SESSION_N_STATES; from++)
    for (int to = 0; to < GK_SESSION_N_STATES; to++)
      {
        guint found = 0;

        for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
          if ((int) expected[i].from == from && (int) expected[i].to == to)
            found++;
        g_assert_cmpuint (found, ==, from == to ? 0 : 1);
      }
}

static void
test_staying_is_no_move (void)
{
  for (int s = 0; s < GK_SESSION_N_STATES; s++)
    {
      GkSessionState state = s;

      g_assert_true (gk_session_state_can_move (s, s));
      g_assert_false (gk_session_state_move (&state, s));
      g_assert_cmpint (state, ==, s);
    }
}

static void
test_names (void)
{
  GEnumClass *klass = g_type_class_ref (GK_TYPE_SESSION_STATE);

  for (int s = 0; s < GK_SESSION_N_STATES; s++)
    {
      GEnumValue *value = g_enum_get_value (klass, s);

      g_assert_nonnull (value);
      g_assert_cmpstr (value->value_nick, ==, gk_session_state_to_string (s));
    }
  g_type_class_unref (klass);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session-state/table/every-pair-listed", test_every_pair_listed);
  g_test_add_func ("/session-state/table/staying-is-no-move", test_staying_is_no_move);
  g_test_add_func ("/session-state/names-match-the-enum", test_names);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *path =
        g_strdup_printf ("/session-state/move/%s-to-%s-%s",
                         gk_session_state_to_string (expected[i].from),
                         gk_session_state_to_string (expected[i].to),
                         expected[i].allowed ? "allowed" : "refused");

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_move);
    }

  return g_test_run ();
}
