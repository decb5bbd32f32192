#include "a.h"
#include "b.h"

void
a_run (void)
{
  b_run ();
}
