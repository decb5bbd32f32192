#pragma once
void base_run (void);
