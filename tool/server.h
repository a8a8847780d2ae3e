/*
 * tool/server.h - what the two server commands (listen and relay) share:
 * naming peers, reporting a failed bind, and the socket file of a Unix
 * listener, which is removed at exit only while it is still ours.
 */
#ifndef SOCK_TOOL_SERVER_H
#define SOCK_TOOL_SERVER_H

#include <sock/sock.h>
#include <sock/unixfile.h>

#include "cmd.h"

/* "tcp://[::1]:5000", "unix:@name": a peer as an endpoint of kind. */
void server_peer_name(enum sock_kind kind, const struct sockaddr *sa,
		      socklen_t len, char *buf, size_t size);

/* -v: "listening on 127.0.0.1:5000 (tcp)", the line tests read. */
void server_say_listening(const struct sock_global *g, enum sock_kind kind,
			  const struct sock_conn *c);

/* Report a failed sock_listen(); "address in use" names the holder. */
int server_fail_listen(const struct sock_addr *a, const char *endpoint,
		       int err);

/* Remember the file that binding a (filesystem) Unix endpoint created
 * (its directory and identity: a path swapped meanwhile leads nowhere
 * else), and remove it at exit. */
void server_claim_file(const struct sock_addr *a);

/* The claimed file is still the one our bind() created: nobody removed
 * it and put another in its place. */
int server_file_is_ours(void);

/* Remove the claimed file if it is still ours (async-signal-safe). */
void server_remove_file(void);

/* Give the claim up (the file was removed already, or stays). */
void server_forget_file(void);

#endif
