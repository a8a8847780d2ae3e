/*
 * sock/acl.h - who may connect: allow and deny lists of address blocks
 * (CIDR) for Internet clients, and of user ids for Unix clients (the
 * peer's credentials, SO_PEERCRED).
 *
 * Deny wins over allow; a non-empty allow list refuses everyone it does
 * not name.  An IPv4-mapped IPv6 client (::ffff:a.b.c.d, what a
 * dual-stack listener sees) is matched as the IPv4 address, and an IPv6
 * block inside ::ffff:0:0/96 as the IPv4 block it covers.  Nothing here
 * prints or exits.
 */
#ifndef SOCK_ACL_H
#define SOCK_ACL_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

struct sock_acl;

/* An empty list (admits everyone); NULL when out of memory. */
struct sock_acl *sock_acl_new(void);
void sock_acl_free(struct sock_acl *a);

/*
 * Add one block: "10.0.0.0/8", "192.0.2.7" (a /32), "::1", "fd00::/8";
 * deny: 1 for the deny list.  Returns 0, -EINVAL when word is not one
 * (bits beyond the address's length, bits set past the prefix are
 * allowed and ignored, as in ip route), or -ENOMEM.
 */
int sock_acl_add(struct sock_acl *a, int deny, const char *word);

/*
 * Add every block of a list: words separated by commas, spaces or line
 * ends; '#' starts a comment that runs to the end of its line (a file's
 * text).  Returns 0, or -EINVAL with *bad_at set to the offset of the
 * first bad word and *bad_len to its length (the list is then partly
 * added), or -ENOMEM.
 */
int sock_acl_add_list(struct sock_acl *a, int deny, const char *text,
		      size_t *bad_at, size_t *bad_len);

/* Allow the Unix peers of user id uid (any uid is a number; the tool
 * turns names into ids).  Returns 0 or -ENOMEM. */
int sock_acl_add_uid(struct sock_acl *a, uid_t uid);

/* 1 when the lists hold address blocks / user ids. */
int sock_acl_has_cidrs(const struct sock_acl *a);
int sock_acl_has_uids(const struct sock_acl *a);

/* 1 when a client at sa (an AF_INET or AF_INET6 address) may come in,
 * 0 when not.  Other families: 1 when no block is listed. */
int sock_acl_check_addr(const struct sock_acl *a, const struct sockaddr *sa,
			socklen_t len);

/*
 * Judge an accepted client: fd its socket, sa its address.  For a Unix
 * client with user ids listed, its credentials are read (SO_PEERCRED,
 * traced) and its uid must be listed; *uid gets it (else (uid_t)-1).
 * Returns 1 (admitted), 0 (refused) or -errno when the credentials
 * cannot be read (refuse then).
 */
int sock_acl_admit(const struct sock_acl *a, int fd, const struct sockaddr *sa,
		   socklen_t len, uid_t *uid);

#endif
