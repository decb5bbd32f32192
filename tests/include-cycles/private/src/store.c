#include "session-private.h"
#include "store.h"

void
store_save (void)
{
  _session_renew_now (1);
}
