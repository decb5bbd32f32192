#include "session-private.h"
#include "store.h"

void
_session_renew_now (int soon)
{
  store_save ();
}
