#include "base.h"

void
base_run (void)
{
}
