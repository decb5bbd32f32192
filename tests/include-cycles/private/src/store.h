#pragma once
void store_save (void);
