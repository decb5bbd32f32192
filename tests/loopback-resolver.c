/* loopback-resolver.c: *.example.test → 127.0.0.1, nothing else
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "loopback-resolver.h"

#define LOOPBACK_TYPE_RESOLVER (loopback_resolver_get_type ())
G_DECLARE_FINAL_TYPE (LoopbackResolver, loopback_resolver, LOOPBACK, RESOLVER, GResolver)

struct _LoopbackResolver
{
  GResolver parent_instance;
};

G_DEFINE_FINAL_TYPE (LoopbackResolver, loopback_resolver, G_TYPE_RESOLVER)

static GList *
lookup (const char  *hostname,
        GError     **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (hostname);

  if (address != NULL)
    return g_list_append (NULL, g_steal_pointer (&address));
  if (g_str_has_suffix (hostname, ".example.test") || g_str_equal (hostname, "localhost"))
    return g_list_append (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
               "%s is not a test name (only *.example.test resolve here)", hostname);
  return NULL;
}

static GList *
lookup_by_name (GResolver     *resolver,
                const char    *hostname,
                GCancellable  *cancellable,
                GError       **error)
{
  return lookup (hostname, error);
}

static void
lookup_by_name_async (GResolver           *resolver,
                      const char          *hostname,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses = lookup (hostname, &error);

  if (addresses == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
}

static GList *
lookup_by_name_finish (GResolver     *resolver,
                       GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GList *
lookup_by_name_with_flags (GResolver                 *resolver,
                           const char                *hostname,
                           GResolverNameLookupFlags   flags,
                           GCancellable              *cancellable,
                           GError                   **error)
{
  return lookup (hostname, error);
}

static void
lookup_by_name_with_flags_async (GResolver                 *resolver,
                                 const char                *hostname,
                                 GResolverNameLookupFlags   flags,
                                 GCancellable              *cancellable,
                                 GAsyncReadyCallback        callback,
                                 gpointer                   user_data)
{
  lookup_by_name_async (resolver, hostname, cancellable, callback, user_data);
}

static void
loopback_resolver_class_init (LoopbackResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = lookup_by_name;
  resolver_class->lookup_by_name_async = lookup_by_name_async;
  resolver_class->lookup_by_name_finish = lookup_by_name_finish;
  resolver_class->lookup_by_name_with_flags = lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = lookup_by_name_finish;
}

static void
loopback_resolver_init (LoopbackResolver *self)
{
}

void
loopback_resolver_install (void)
{
  g_autoptr(GResolver) resolver = g_object_new (LOOPBACK_TYPE_RESOLVER, NULL);

  g_resolver_set_default (resolver);
}
