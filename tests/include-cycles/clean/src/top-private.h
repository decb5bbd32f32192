#pragma once
#include "base.h"
void _top_helper (void);
