/* gk-test-keyring.h: a keyring fixture, filled and read in one call
 *
 * gk_test_keyring_new() gives a memory-only GkKeyring: no Secret Service
 * and no daemon, so a session or a window can be tested in any process.
 * gk_test_keyring_new_secret_service() gives the real thing and fails the
 * test unless it runs inside tests/integration/keyring-session.sh (a private
 * D-Bus session with an unlocked gnome-keyring): a test meant for the
 * daemon must not pass quietly on memory.
 *
 * How to use it (link gk_test_dep, include "gk-test.h"):
 *
 *   g_autoptr(GkKeyring) keyring = gk_test_keyring_new ();
 *   g_autoptr(GkSession) session = NULL;
 *
 *   // what a session restores as signed in, with credentials valid 1 h more
 *   gk_test_keyring_put_signed_in (keyring, "lab", "ana@lab.org", 3600);
 *   session = gk_session_new (profile, keyring);
 *
 *   gk_test_keyring_put (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN, "rt-2");
 *   g_autofree char *token = gk_test_keyring_get (keyring, "lab", GK_KEYRING_KIND_REFRESH_TOKEN);
 *
 * The items are written in the format Genokey keeps in the keyring, which
 * has to stay readable across versions anyway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gk-keyring.h"

G_BEGIN_DECLS

/* The refresh token gk_test_keyring_put_signed_in() stores, and the key id
 * of the credentials the fixture stores. */
#define GK_TEST_KEYRING_REFRESH_TOKEN "test-refresh-token"
#define GK_TEST_KEYRING_ACCESS_KEY_ID "ASIATESTKEY"

GkKeyring *gk_test_keyring_new                (void);
GkKeyring *gk_test_keyring_new_secret_service (void);

void       gk_test_keyring_put                (GkKeyring     *keyring,
                                               const char    *profile,
                                               GkKeyringKind  kind,
                                               const char    *secret);
char      *gk_test_keyring_get                (GkKeyring     *keyring,
                                               const char    *profile,
                                               GkKeyringKind  kind);
/* @kind -1 deletes every item of @profile. */
void       gk_test_keyring_delete             (GkKeyring     *keyring,
                                               const char    *profile,
                                               int            kind);

/* Credentials (ASIA… key) that expire @seconds_left from now. */
void       gk_test_keyring_put_credentials    (GkKeyring     *keyring,
                                               const char    *profile,
                                               gint64         seconds_left);
/* Everything a finished sign-in leaves: refresh token, user, identity id and
 * credentials valid @seconds_left more. */
void       gk_test_keyring_put_signed_in      (GkKeyring     *keyring,
                                               const char    *profile,
                                               const char    *email,
                                               gint64         seconds_left);

G_END_DECLS
