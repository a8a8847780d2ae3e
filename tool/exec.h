/*
 * tool/exec.h - running a program per connection (--exec).
 */
#ifndef SOCK_TOOL_EXEC_H
#define SOCK_TOOL_EXEC_H

#include <sys/types.h>

/* Split cmd into a NULL-terminated argv (no shell; simple quoting).
 * Returns it (free with exec_free), or NULL for an empty command, an
 * unbalanced quote, or no memory. */
char **exec_split(const char *cmd);
void exec_free(char **argv);

/* Fork and exec argv with conn as stdin and stdout and SOCK_PEER=peer in
 * the environment.  Returns the child's pid, or -1 (errno set). */
pid_t exec_spawn(char **argv, int conn, const char *peer);

#endif
