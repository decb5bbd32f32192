#include "base.h"
#include "top-private.h"
#include "top.h"

void
top_run (void)
{
  base_run ();
  _top_helper ();
}
