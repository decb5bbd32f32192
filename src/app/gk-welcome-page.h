/* gk-welcome-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gk-keyring.h"
#include "gk-profile-store.h"

G_BEGIN_DECLS

#define GK_TYPE_WELCOME_PAGE (gk_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (GkWelcomePage, gk_welcome_page, GK, WELCOME_PAGE, AdwBin)

GkWelcomePage  *gk_welcome_page_new         (void);
GkProfileStore *gk_welcome_page_get_store   (GkWelcomePage *self);
void            gk_welcome_page_set_store   (GkWelcomePage  *self,
                                             GkProfileStore *store);
GkKeyring      *gk_welcome_page_get_keyring (GkWelcomePage *self);
void            gk_welcome_page_set_keyring (GkWelcomePage  *self,
                                             GkKeyring      *keyring);
const char     *gk_welcome_page_get_error   (GkWelcomePage *self);
void            gk_welcome_page_reset       (GkWelcomePage *self);

G_END_DECLS
