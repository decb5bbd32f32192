/* bench-floor.c: the floor of the start-up benchmark
 *
 * The least a libadwaita app can show: an AdwApplicationWindow with a
 * header bar and a status page, the same size as Genokey's window, started
 * as an AdwApplication the way Genokey is. It prints the same mark as
 * Genokey's window (wall-clock microseconds of its first painted frame) on
 * stderr, so startup.mjs can set Genokey's figures against it in the same
 * run on the same machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

static void
on_first_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_paint_cb, user_data);
  g_printerr ("genokey-bench: first-frame %" G_GINT64_FORMAT "\n", g_get_real_time ());
}

static void
on_realize_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_first_paint_cb), NULL);
}

static void
on_activate_cb (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "dialog-information-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), "Floor");
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   "A header bar and a status page: the least a libadwaita window shows.");
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Floor");
  /* Genokey's default size. */
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 680);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.genokey.BenchFloor",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
