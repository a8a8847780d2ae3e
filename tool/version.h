/*
 * tool/version.h - sock --version, -V, sock version [--json]: the
 * version, the git commit it was built from, and the optional features
 * compiled in with what the running system provides for each.
 */
#ifndef SOCK_TOOL_VERSION_H
#define SOCK_TOOL_VERSION_H

/* argv[0] is "version" (or -V, --version); returns the exit status. */
int cmd_version(int argc, char **argv);

#endif
