/*
 * tool/list_info.c - what is inside each socket, as text: the -i line
 * (tcp_info in human units, one line per socket), the -m memory, the -o
 * timer column as netstat prints it, and the one-word verdict on what
 * limits a TCP sender (rules in docs/list.md).
 */
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "list.h"

/* The kernel's "no threshold yet" (TCP_INFINITE_SSTHRESH). */
#define INFINITE_SSTHRESH 0x7fffffffu

/* A line being built: appends never overflow, they are cut. */
struct line {
	char *p;
	size_t size, len;
};

static void add(struct line *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->len + 1 >= l->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->p + l->len, l->size - l->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < l->size - l->len ? (size_t)n
						       : l->size - l->len - 1;
}

/* Bytes: B below 1 KB, then KB, MB, GB (powers of 1024). */
static void human_bytes(char *buf, size_t size, uint64_t v)
{
	static const char *const unit[] = { "KB", "MB", "GB", "TB" };
	double x = (double)v;
	int u = -1;

	if (v < 1024) {
		snprintf(buf, size, "%lluB", (unsigned long long)v);
		return;
	}
	while (x >= 1024 && u < 3) {
		x /= 1024;
		u++;
	}
	snprintf(buf, size, x < 10 ? "%.1f%s" : "%.0f%s", x, unit[u]);
}

/* Bits per second from bytes per second: kbit/s... (powers of 1000). */
static void human_rate(char *buf, size_t size, uint64_t bytes_per_s)
{
	static const char *const unit[] = { "bit/s", "kbit/s", "Mbit/s",
					    "Gbit/s", "Tbit/s" };
	double x = (double)bytes_per_s * 8;
	int u = 0;

	while (x >= 1000 && u < 4) {
		x /= 1000;
		u++;
	}
	snprintf(buf, size, x < 10 && u ? "%.2f%s" : "%.0f%s", x, unit[u]);
}

/* Microseconds as ms (three decimals below 10 ms), or seconds. */
static void human_us(char *buf, size_t size, uint64_t us)
{
	double ms = (double)us / 1000;

	if (ms < 10)
		snprintf(buf, size, "%.3fms", ms);
	else if (ms < 10000)
		snprintf(buf, size, "%.0fms", ms);
	else
		snprintf(buf, size, "%.1fs", ms / 1000);
}

static void human_ms(char *buf, size_t size, uint32_t ms)
{
	if (ms < 10000)
		snprintf(buf, size, "%ums", ms);
	else
		snprintf(buf, size, "%.1fs", (double)ms / 1000);
}

#define HAS(x, f) SOCK_DIAG_TCPI_HAS((x)->info_len, f)

static int verdict_state(const struct sock_diag_entry *e)
{
	return e->family != AF_UNIX && e->protocol == IPPROTO_TCP &&
	       (e->state == SOCK_DIAG_ESTABLISHED ||
		e->state == SOCK_DIAG_CLOSE_WAIT);
}

/* Waiting data is squeezed by a window: the peer's or the cwnd. */
static const char *window_verdict(const struct sock_diag_entry *e,
				  const struct sock_diag_tcp_info *t,
				  int has_wnd)
{
	if (e->in.timer == 4)
		return "receiver"; /* probing a zero window */
	if (e->wqueue && has_wnd && t->tcpi_snd_wnd < t->tcpi_snd_mss)
		return "receiver";
	if (e->wqueue && t->tcpi_snd_cwnd &&
	    t->tcpi_unacked >= t->tcpi_snd_cwnd)
		return "congestion";
	return NULL;
}

/* Unsent data piles up: who stops it, by the time each limit held. */
static const char *backlog_verdict(const struct sock_diag_extra *x)
{
	const struct sock_diag_tcp_info *t = &x->info;

	if (!HAS(x, tcpi_sndbuf_limited))
		return "backlog";
	if (t->tcpi_sndbuf_limited &&
	    t->tcpi_sndbuf_limited > t->tcpi_rwnd_limited)
		return "sndbuf";
	if (t->tcpi_rwnd_limited)
		return "receiver";
	return "backlog";
}

const char *list_info_verdict(const struct sock_diag_entry *e,
			      const struct sock_diag_extra *x)
{
	const struct sock_diag_tcp_info *t;
	const char *w;

	if (!x || !verdict_state(e) || !HAS(x, tcpi_notsent_bytes))
		return NULL;
	t = &x->info;
	if (t->tcpi_retransmits || t->tcpi_ca_state >= 3 || t->tcpi_lost)
		return "congestion"; /* timeouts, recovery or loss now */
	w = window_verdict(e, t, HAS(x, tcpi_snd_wnd));
	if (w)
		return w;
	if (t->tcpi_notsent_bytes)
		return backlog_verdict(x);
	if (!e->wqueue && !e->rqueue && t->tcpi_last_data_sent >= 1000 &&
	    t->tcpi_last_data_recv >= 1000)
		return "idle";
	return "application";
}

/* The verdict's word in the user's language (the JSON keeps it). */
static const char *verdict_text(const char *w)
{
	static const struct {
		const char *key, *text;
	} words[] = {
		{ "application", N_("application") },
		{ "receiver", N_("receiver") },
		{ "sndbuf", N_("sndbuf") },
		{ "congestion", N_("congestion") },
		{ "backlog", N_("backlog") },
		{ "idle", N_("idle") },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(w, words[i].key))
			return _(words[i].text);
	return w;
}

static void add_bytes(struct line *l, const char *key, uint64_t v)
{
	char b[32];

	human_bytes(b, sizeof(b), v);
	add(l, " %s:%s", key, b);
}

static void add_us(struct line *l, const char *key, uint64_t v)
{
	char b[32];

	human_us(b, sizeof(b), v);
	add(l, " %s:%s", key, b);
}

static void add_rate(struct line *l, const char *key, uint64_t v)
{
	char b[32];

	human_rate(b, sizeof(b), v);
	add(l, " %s:%s", key, b);
}

static void info_path(struct line *l, const struct sock_diag_extra *x)
{
	const struct sock_diag_tcp_info *t = &x->info;
	char a[32], b[32];

	if (x->have & SOCK_DIAG_HAVE_CONG)
		add(l, " %s", x->cong);
	human_us(a, sizeof(a), t->tcpi_rtt);
	human_us(b, sizeof(b), t->tcpi_rttvar);
	add(l, " rtt:%s/%s", a, b);
	if (HAS(x, tcpi_min_rtt) && t->tcpi_min_rtt != UINT32_MAX)
		add_us(l, "minrtt", t->tcpi_min_rtt);
	add_us(l, "rto", t->tcpi_rto);
	add(l, " mss:%u cwnd:%u", t->tcpi_snd_mss, t->tcpi_snd_cwnd);
	if (t->tcpi_snd_ssthresh < INFINITE_SSTHRESH)
		add(l, " ssthresh:%u", t->tcpi_snd_ssthresh);
}

static void info_bytes(struct line *l, const struct sock_diag_extra *x)
{
	const struct sock_diag_tcp_info *t = &x->info;

	if (HAS(x, tcpi_bytes_sent))
		add_bytes(l, "sent", t->tcpi_bytes_sent);
	if (HAS(x, tcpi_bytes_acked))
		add_bytes(l, "acked", t->tcpi_bytes_acked);
	if (HAS(x, tcpi_bytes_received))
		add_bytes(l, "rcvd", t->tcpi_bytes_received);
	if (HAS(x, tcpi_bytes_retrans))
		add_bytes(l, "retrans", t->tcpi_bytes_retrans);
	if (HAS(x, tcpi_segs_in))
		add(l, " segs:%u/%u", t->tcpi_segs_out, t->tcpi_segs_in);
	add(l, " retransmits:%u lost:%u", t->tcpi_total_retrans, t->tcpi_lost);
}

static void info_rates(struct line *l, const struct sock_diag_extra *x)
{
	const struct sock_diag_tcp_info *t = &x->info;
	char a[32], b[32], c[32];

	if (HAS(x, tcpi_delivery_rate))
		add_rate(l, "delivery", t->tcpi_delivery_rate);
	if (HAS(x, tcpi_pacing_rate) && t->tcpi_pacing_rate != UINT64_MAX)
		add_rate(l, "pacing", t->tcpi_pacing_rate);
	if (HAS(x, tcpi_notsent_bytes))
		add_bytes(l, "notsent", t->tcpi_notsent_bytes);
	if (HAS(x, tcpi_sndbuf_limited)) {
		add_us(l, "busy", t->tcpi_busy_time);
		add_us(l, "rwnd_limited", t->tcpi_rwnd_limited);
		add_us(l, "sndbuf_limited", t->tcpi_sndbuf_limited);
	}
	if (HAS(x, tcpi_snd_wnd))
		add_bytes(l, "snd_wnd", t->tcpi_snd_wnd);
	if (x->mem_count > SOCK_DIAG_MEM_SNDBUF)
		add_bytes(l, "sndbuf", x->mem[SOCK_DIAG_MEM_SNDBUF]);
	human_ms(a, sizeof(a), t->tcpi_last_data_sent);
	human_ms(b, sizeof(b), t->tcpi_last_data_recv);
	human_ms(c, sizeof(c), t->tcpi_last_ack_recv);
	add(l, " last_snd/rcv/ack:%s/%s/%s", a, b, c);
}

static void info_part(struct line *l, const struct sock_diag_entry *e,
		      const struct sock_diag_extra *x)
{
	const char *w = list_info_verdict(e, x);

	if (!x->info_len)
		return;
	if (e->state == SOCK_DIAG_LISTEN) {
		/* nothing is sent or received on a listener */
		if (x->have & SOCK_DIAG_HAVE_CONG)
			add(l, " %s", x->cong);
		return;
	}
	info_path(l, x);
	info_bytes(l, x);
	info_rates(l, x);
	if (w)
		add(l, " %s:%s", _("limited by"), verdict_text(w));
}

static void mem_part(struct line *l, const struct sock_diag_extra *x)
{
	static const char *const key[SOCK_DIAG_MEM_MAX] = {
		"rmem",	  "rcvbuf", "wmem",    "sndbuf", "fwd",
		"queued", "optmem", "backlog", "drops",
	};

	for (int i = 0; i < x->mem_count && i < SOCK_DIAG_MEM_MAX; i++) {
		if (i == SOCK_DIAG_MEM_DROPS)
			add(l, " %s:%u", key[i], x->mem[i]);
		else
			add_bytes(l, key[i], x->mem[i]);
	}
}

size_t list_info_line(char *buf, size_t size, const struct sock_diag *d,
		      const struct sock_diag_entry *e,
		      const struct list_opts *o)
{
	const struct sock_diag_extra *x = sock_diag_extra(d, e);
	struct line l = { buf, size, 0 };

	if (!size)
		return 0;
	buf[0] = '\0';
	if (!x)
		return 0;
	if (o->info)
		info_part(&l, e, x);
	if (o->memory)
		mem_part(&l, x);
	return l.len;
}

const char *list_timer_name(int timer)
{
	static const char *const names[] = { "off", "on", "keepalive",
					     "timewait", "probe" };

	return timer >= 0 && timer < 5 ? names[timer] : NULL;
}

void list_timer_values(const struct sock_diag_entry *e, unsigned int *retrans,
		       unsigned int *probes)
{
	/* idiag_retrans is the retransmit count for the retransmit timer,
	 * the probes sent for keepalive and zero-window probes */
	*retrans = e->in.timer == 1 ? e->in.retrans : 0;
	*probes = e->in.timer == 2 || e->in.timer == 4 ? e->in.retrans : 0;
}

void list_timer_text(char *buf, size_t size, const struct sock_diag_entry *e)
{
	const char *name = list_timer_name(e->in.timer);
	unsigned int retrans, probes;
	double secs = e->in.timer ? (double)e->in.expires_ms / 1000 : 0;

	list_timer_values(e, &retrans, &probes);
	if (name)
		snprintf(buf, size, "%s (%2.2f/%u/%u)", name, secs, retrans,
			 probes);
	else
		snprintf(buf, size, "unkn-%d (%2.2f/%u/%u)", e->in.timer, secs,
			 retrans, probes);
}
