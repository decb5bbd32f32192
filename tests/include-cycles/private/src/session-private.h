/* Shared by the session's files: declared here, defined in renew.c. */
#pragma once
void _session_renew_now (int soon);
