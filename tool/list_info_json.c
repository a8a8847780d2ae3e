/*
 * tool/list_info_json.c - the JSON of -i, -m, -o and -e: typed keys
 * whose names carry their units (rtt_us, bytes_acked, pacing_rate_bps),
 * null for what this kernel did not report, never 0 in its place.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "list.h"

#define INFINITE_SSTHRESH 0x7fffffffu
#define HAS(x, f) SOCK_DIAG_TCPI_HAS((x)->info_len, f)

unsigned int list_info_extras(const struct list_opts *o)
{
	unsigned int x = 0;

	/* -i shows the send buffer too: skmeminfo's tb */
	if (o->info)
		x |= SOCK_DIAG_X_INFO | SOCK_DIAG_X_MEM;
	if (o->memory)
		x |= SOCK_DIAG_X_MEM;
	if (o->extend && o->json)
		x |= SOCK_DIAG_X_EXT;
	return x;
}

static void key_u64(FILE *out, const char *key, int has, uint64_t v)
{
	if (has)
		fprintf(out, ",\"%s\":%llu", key, (unsigned long long)v);
	else
		fprintf(out, ",\"%s\":null", key);
}

/* The tcp_info fields: KEY is the JSON name, F the field, M a factor. */
#define TCPI(key, f) key_u64(out, key, HAS(x, f), t->f)

static void info_path(FILE *out, const struct sock_diag_extra *x)
{
	const struct sock_diag_tcp_info *t = &x->info;

	TCPI("rtt_us", tcpi_rtt);
	TCPI("rttvar_us", tcpi_rttvar);
	key_u64(out, "min_rtt_us",
		HAS(x, tcpi_min_rtt) && t->tcpi_min_rtt != UINT32_MAX,
		t->tcpi_min_rtt);
	TCPI("rto_us", tcpi_rto);
	TCPI("ato_us", tcpi_ato);
	TCPI("mss_bytes", tcpi_snd_mss);
	TCPI("rcv_mss_bytes", tcpi_rcv_mss);
	TCPI("advmss_bytes", tcpi_advmss);
	TCPI("pmtu_bytes", tcpi_pmtu);
	TCPI("cwnd_segments", tcpi_snd_cwnd);
	key_u64(out, "ssthresh_segments",
		HAS(x, tcpi_snd_ssthresh) &&
		    t->tcpi_snd_ssthresh < INFINITE_SSTHRESH,
		t->tcpi_snd_ssthresh);
	TCPI("unacked_segments", tcpi_unacked);
	TCPI("sacked_segments", tcpi_sacked);
	TCPI("lost_segments", tcpi_lost);
	TCPI("retrans_segments", tcpi_retrans);
	TCPI("total_retrans_segments", tcpi_total_retrans);
	TCPI("reordering_segments", tcpi_reordering);
}

static void info_bytes(FILE *out, const struct sock_diag_extra *x)
{
	const struct sock_diag_tcp_info *t = &x->info;

	TCPI("bytes_sent", tcpi_bytes_sent);
	TCPI("bytes_acked", tcpi_bytes_acked);
	TCPI("bytes_received", tcpi_bytes_received);
	TCPI("bytes_retrans", tcpi_bytes_retrans);
	TCPI("segs_out", tcpi_segs_out);
	TCPI("segs_in", tcpi_segs_in);
	TCPI("data_segs_out", tcpi_data_segs_out);
	TCPI("data_segs_in", tcpi_data_segs_in);
	TCPI("delivered_segments", tcpi_delivered);
	TCPI("notsent_bytes", tcpi_notsent_bytes);
	TCPI("snd_wnd_bytes", tcpi_snd_wnd);
	TCPI("rcv_wnd_bytes", tcpi_rcv_wnd);
	TCPI("rcv_space_bytes", tcpi_rcv_space);
	TCPI("rcv_ssthresh_bytes", tcpi_rcv_ssthresh);
}

/* Rates are bytes per second in tcp_info, bits per second here. */
static void info_rates(FILE *out, const struct sock_diag_extra *x)
{
	const struct sock_diag_tcp_info *t = &x->info;

	key_u64(out, "delivery_rate_bps", HAS(x, tcpi_delivery_rate),
		t->tcpi_delivery_rate * 8);
	key_u64(out, "pacing_rate_bps",
		HAS(x, tcpi_pacing_rate) && t->tcpi_pacing_rate != UINT64_MAX,
		t->tcpi_pacing_rate * 8);
	if (HAS(x, tcpi_delivery_rate))
		fprintf(out, ",\"delivery_rate_app_limited\":%s",
			t->tcpi_app_limited & 1 ? "true" : "false");
	else
		fputs(",\"delivery_rate_app_limited\":null", out);
	TCPI("busy_us", tcpi_busy_time);
	TCPI("rwnd_limited_us", tcpi_rwnd_limited);
	TCPI("sndbuf_limited_us", tcpi_sndbuf_limited);
	TCPI("last_send_ms", tcpi_last_data_sent);
	TCPI("last_recv_ms", tcpi_last_data_recv);
	TCPI("last_ack_ms", tcpi_last_ack_recv);
	TCPI("retransmits_now", tcpi_retransmits);
	TCPI("probes_now", tcpi_probes);
	TCPI("backoff", tcpi_backoff);
	TCPI("ca_state", tcpi_ca_state);
}

static void info_object(FILE *out, const struct sock_diag_entry *e,
			const struct sock_diag_extra *x)
{
	const char *w = list_info_verdict(e, x);

	if (!x || !x->info_len) {
		fputs(",\"info\":null,\"limited_by\":null", out);
		return;
	}
	fputs(",\"info\":{\"congestion\":", out);
	if (x->have & SOCK_DIAG_HAVE_CONG)
		tool_json_string(out, x->cong, strlen(x->cong));
	else
		fputs("null", out);
	fprintf(out, ",\"tcp_info_bytes\":%u", x->info_len);
	info_path(out, x);
	info_bytes(out, x);
	info_rates(out, x);
	key_u64(out, "sndbuf_bytes", x->mem_count > SOCK_DIAG_MEM_SNDBUF,
		x->mem[SOCK_DIAG_MEM_SNDBUF]);
	putc('}', out);
	if (w)
		fprintf(out, ",\"limited_by\":\"%s\"", w);
	else
		fputs(",\"limited_by\":null", out);
}

static void mem_object(FILE *out, const struct sock_diag_extra *x)
{
	static const char *const key[SOCK_DIAG_MEM_MAX] = {
		"rmem_alloc_bytes", "rcvbuf_bytes",    "wmem_alloc_bytes",
		"sndbuf_bytes",	    "fwd_alloc_bytes", "wmem_queued_bytes",
		"optmem_bytes",	    "backlog_bytes",   "drops",
	};

	if (!x || !x->mem_count) {
		fputs(",\"memory\":null", out);
		return;
	}
	fputs(",\"memory\":{", out);
	for (int i = 0; i < SOCK_DIAG_MEM_MAX; i++) {
		if (i < x->mem_count)
			fprintf(out, "%s\"%s\":%u", i ? "," : "", key[i],
				x->mem[i]);
		else
			fprintf(out, "%s\"%s\":null", i ? "," : "", key[i]);
	}
	putc('}', out);
}

static void timer_object(FILE *out, const struct sock_diag_entry *e)
{
	const char *name;
	unsigned int retrans, probes;

	if (e->family == AF_UNIX) {
		fputs(",\"timer\":null", out);
		return;
	}
	name = list_timer_name(e->in.timer);
	list_timer_values(e, &retrans, &probes);
	fputs(",\"timer\":{\"name\":", out);
	if (name)
		fprintf(out, "\"%s\"", name);
	else
		fprintf(out, "\"unknown-%d\"", e->in.timer);
	fprintf(out, ",\"expires_ms\":%u,\"retransmits\":%u,\"probes\":%u}",
		e->in.timer ? e->in.expires_ms : 0, retrans, probes);
}

/* ---- cgroup id -> path, from one walk of /sys/fs/cgroup ----------- */

/* A cgroup v2 id is the inode number of its directory. */
struct cgroup_map {
	uint64_t *ino;
	char **path;
	size_t n, cap;
	int walked;
};

static struct cgroup_map cgroups;

static int cgroup_seen(const char *path, const struct stat *st, int flag,
		       struct FTW *ftw)
{
	const char *root = "/sys/fs/cgroup";
	struct cgroup_map *m = &cgroups;
	char *rel;

	(void)ftw;
	if (flag != FTW_D)
		return 0;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		void *a = realloc(m->ino, cap * sizeof(*m->ino));

		if (!a)
			return 1;
		m->ino = a;
		a = realloc(m->path, cap * sizeof(*m->path));
		if (!a)
			return 1;
		m->path = a;
		m->cap = cap;
	}
	rel = strdup(path[strlen(root)] ? path + strlen(root) : "/");
	if (!rel)
		return 1;
	m->ino[m->n] = st->st_ino;
	m->path[m->n++] = rel;
	return 0;
}

static const char *cgroup_path(uint64_t id)
{
	if (!cgroups.walked) {
		cgroups.walked = 1;
		nftw("/sys/fs/cgroup", cgroup_seen, 16, FTW_PHYS | FTW_MOUNT);
	}
	for (size_t i = 0; i < cgroups.n; i++)
		if (cgroups.ino[i] == id)
			return cgroups.path[i];
	return NULL;
}

static void ext_keys(FILE *out, const struct sock_diag_entry *e,
		     const struct sock_diag_extra *x)
{
	static const char *const shut[] = { "none", "read", "write", "both" };
	const char *path;

	/* (the cookie is in every netlink row; 0 from /proc/net) */
	if (x && e->cookie)
		fprintf(out, ",\"cookie\":\"%llx\"",
			(unsigned long long)e->cookie);
	else
		fputs(",\"cookie\":null", out);
	if (x && (x->have & SOCK_DIAG_HAVE_CGROUP)) {
		fprintf(out, ",\"cgroup_id\":%llu,\"cgroup\":",
			(unsigned long long)x->cgroup_id);
		path = cgroup_path(x->cgroup_id);
		if (path)
			tool_json_string(out, path, strlen(path));
		else
			fputs("null", out);
	} else {
		fputs(",\"cgroup_id\":null,\"cgroup\":null", out);
	}
	if (x && (x->have & SOCK_DIAG_HAVE_SHUTDOWN))
		fprintf(out, ",\"shutdown\":\"%s\"", shut[x->shutdown & 3]);
	else
		fputs(",\"shutdown\":null", out);
	(void)e;
}

void list_info_json(FILE *out, const struct sock_diag *d,
		    const struct sock_diag_entry *e, const struct list_opts *o)
{
	const struct sock_diag_extra *x = sock_diag_extra(d, e);

	if (o->info)
		info_object(out, e, x);
	if (o->memory)
		mem_object(out, x);
	if (o->timers)
		timer_object(out, e);
	if (o->extend)
		ext_keys(out, e, x);
}
