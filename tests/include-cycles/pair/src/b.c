#include "a.h"
#include "b.h"

void
b_run (void)
{
  a_run ();
}
