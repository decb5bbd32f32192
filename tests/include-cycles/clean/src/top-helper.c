#include "base.h"
#include "top-private.h"

void
_top_helper (void)
{
  base_run ();
}
