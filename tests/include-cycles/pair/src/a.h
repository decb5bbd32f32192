#pragma once
void a_run (void);
