#pragma once
void b_run (void);
