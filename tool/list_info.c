/*
 * tool/list_info.c - what is inside each socket, as text: the -i line
 * (tcp_info in human units, one line per socket), the -m memory, the -o
 * timer column as netstat prints it, and the one-word verdict on what
 * limits a TCP sender (rules in docs/list.md).
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "i18n.h"
#include "list.h"

/* The kernel's "no threshold yet" (TCP_INFINITE_SSTHRESH). */
#define INFINITE_SSTHRESH 0x7fffffffu

/* A line being built: appends never overflow, they are cut.  Built by
 * hand, not with printf: formatting was half the time of -tani over
 * 200k sockets. */
struct line {
	char *p;
	size_t size, len;
};

static void put(struct line *l, const char *s, size_t n)
{
	if (l->len + 1 >= l->size)
		return;
	if (n > l->size - l->len - 1)
		n = l->size - l->len - 1;
	memcpy(l->p + l->len, s, n);
	l->len += n;
	l->p[l->len] = '\0';
}

static void put_str(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

/* printf's "%llu". */
static void put_uint(struct line *l, uint64_t v)
{
	char t[20];
	size_t n = sizeof(t);

	do
		t[--n] = (char)('0' + v % 10);
	while ((v /= 10));
	put(l, t + n, sizeof(t) - n);
}

/* " key:" */
static void put_key(struct line *l, const char *key)
{
	put(l, " ", 1);
	put_str(l, key);
	put(l, ":", 1);
}

/*
 * printf's "%.<prec>f" of x >= 0, prec <= 3, digit for digit: the double
 * is m * 2^e exactly, so x * 10^prec is rounded from integers, half to
 * even as glibc does.  Values this file never makes (2^53 and above,
 * NaN) go through snprintf.
 */
static void put_fixed(struct line *l, double x, int prec)
{
	static const uint64_t pow10[] = { 1, 10, 100, 1000 };
	char t[32];
	uint64_t bits, m, q;
	int e;
	size_t n = sizeof(t);

	if (!(x >= 0 && x < 9007199254740992.0) || prec < 0 || prec > 3) {
		int k = snprintf(t, sizeof(t), "%.*f", prec, x);

		put(l, t, k > 0 ? (size_t)k : 0);
		return;
	}
	memcpy(&bits, &x, sizeof(bits));
	e = (int)(bits >> 52 & 0x7ff);
	m = bits & ((UINT64_C(1) << 52) - 1);
	if (e)
		m |= UINT64_C(1) << 52;
	e = (e ? e : 1) - 1075;
	if (e >= 0) {
		q = (m << e) * pow10[prec];
	} else if (e <= -64) {
		q = 0; /* below 2^-11: rounds to 0 at 3 decimals */
	} else {
		uint64_t s = m * pow10[prec], half = UINT64_C(1) << (-e - 1);
		uint64_t r = s & ((half << 1) - 1);

		q = s >> -e;
		if (r > half || (r == half && (q & 1)))
			q++;
	}
	for (int i = 0; i < prec; i++) {
		t[--n] = (char)('0' + q % 10);
		q /= 10;
	}
	if (prec)
		t[--n] = '.';
	do
		t[--n] = (char)('0' + q % 10);
	while ((q /= 10));
	put(l, t + n, sizeof(t) - n);
}

/* Bytes: B below 1 KB, then KB, MB, GB (powers of 1024). */
static void human_bytes(struct line *l, uint64_t v)
{
	static const char *const unit[] = { "KB", "MB", "GB", "TB" };
	double x = (double)v;
	int u = -1;

	if (v < 1024) {
		put_uint(l, v);
		put(l, "B", 1);
		return;
	}
	while (x >= 1024 && u < 3) {
		x /= 1024;
		u++;
	}
	put_fixed(l, x, x < 10 ? 1 : 0);
	put_str(l, unit[u]);
}

/* Bits per second from bytes per second: kbit/s... (powers of 1000). */
static void human_rate(struct line *l, uint64_t bytes_per_s)
{
	static const char *const unit[] = { "bit/s", "kbit/s", "Mbit/s",
					    "Gbit/s", "Tbit/s" };
	double x = (double)bytes_per_s * 8;
	int u = 0;

	while (x >= 1000 && u < 4) {
		x /= 1000;
		u++;
	}
	put_fixed(l, x, x < 10 && u ? 2 : 0);
	put_str(l, unit[u]);
}

/* Microseconds as ms (three decimals below 10 ms), or seconds. */
static void human_us(struct line *l, uint64_t us)
{
	double ms = (double)us / 1000;

	if (ms < 10) {
		put_fixed(l, ms, 3);
		put(l, "ms", 2);
	} else if (ms < 10000) {
		put_fixed(l, ms, 0);
		put(l, "ms", 2);
	} else {
		put_fixed(l, ms / 1000, 1);
		put(l, "s", 1);
	}
}

static void human_ms(struct line *l, uint32_t ms)
{
	if (ms < 10000) {
		put_uint(l, ms);
		put(l, "ms", 2);
	} else {
		put_fixed(l, (double)ms / 1000, 1);
		put(l, "s", 1);
	}
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
	put_key(l, key);
	human_bytes(l, v);
}

static void add_us(struct line *l, const char *key, uint64_t v)
{
	put_key(l, key);
	human_us(l, v);
}

static void add_rate(struct line *l, const char *key, uint64_t v)
{
	put_key(l, key);
	human_rate(l, v);
}

static void add_uint(struct line *l, const char *key, uint64_t v)
{
	put_key(l, key);
	put_uint(l, v);
}

static void info_path(struct line *l, const struct sock_diag_extra *x)
{
	const struct sock_diag_tcp_info *t = &x->info;

	if (x->have & SOCK_DIAG_HAVE_CONG) {
		put(l, " ", 1);
		put_str(l, x->cong);
	}
	add_us(l, "rtt", t->tcpi_rtt);
	put(l, "/", 1);
	human_us(l, t->tcpi_rttvar);
	if (HAS(x, tcpi_min_rtt) && t->tcpi_min_rtt != UINT32_MAX)
		add_us(l, "minrtt", t->tcpi_min_rtt);
	add_us(l, "rto", t->tcpi_rto);
	add_uint(l, "mss", t->tcpi_snd_mss);
	add_uint(l, "cwnd", t->tcpi_snd_cwnd);
	if (t->tcpi_snd_ssthresh < INFINITE_SSTHRESH)
		add_uint(l, "ssthresh", t->tcpi_snd_ssthresh);
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
	if (HAS(x, tcpi_segs_in)) {
		add_uint(l, "segs", t->tcpi_segs_out);
		put(l, "/", 1);
		put_uint(l, t->tcpi_segs_in);
	}
	add_uint(l, "retransmits", t->tcpi_total_retrans);
	add_uint(l, "lost", t->tcpi_lost);
}

static void info_rates(struct line *l, const struct sock_diag_extra *x)
{
	const struct sock_diag_tcp_info *t = &x->info;

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
	put_key(l, "last_snd/rcv/ack");
	human_ms(l, t->tcpi_last_data_sent);
	put(l, "/", 1);
	human_ms(l, t->tcpi_last_data_recv);
	put(l, "/", 1);
	human_ms(l, t->tcpi_last_ack_recv);
}

static void info_part(struct line *l, const struct sock_diag_entry *e,
		      const struct sock_diag_extra *x)
{
	const char *w = list_info_verdict(e, x);

	if (!x->info_len)
		return;
	if (e->state == SOCK_DIAG_LISTEN) {
		/* nothing is sent or received on a listener */
		if (x->have & SOCK_DIAG_HAVE_CONG) {
			put(l, " ", 1);
			put_str(l, x->cong);
		}
		return;
	}
	info_path(l, x);
	info_bytes(l, x);
	info_rates(l, x);
	if (w) {
		put_key(l, _("limited by"));
		put_str(l, verdict_text(w));
	}
}

static void mem_part(struct line *l, const struct sock_diag_extra *x)
{
	static const char *const key[SOCK_DIAG_MEM_MAX] = {
		"rmem",	  "rcvbuf", "wmem",    "sndbuf", "fwd",
		"queued", "optmem", "backlog", "drops",
	};

	for (int i = 0; i < x->mem_count && i < SOCK_DIAG_MEM_MAX; i++) {
		if (i == SOCK_DIAG_MEM_DROPS)
			add_uint(l, key[i], x->mem[i]);
		else
			add_bytes(l, key[i], x->mem[i]);
	}
}

size_t list_info_line(char *buf, size_t size, const struct sock_diag *d,
		      const struct sock_diag_entry *e,
		      const struct list_opts *o)
{
	return list_info_text(buf, size, e, sock_diag_extra(d, e), o);
}

size_t list_info_text(char *buf, size_t size, const struct sock_diag_entry *e,
		      const struct sock_diag_extra *x,
		      const struct list_opts *o)
{
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
