#pragma once
void top_run (void);
