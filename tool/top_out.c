/*
 * tool/top_out.c - sock top for scripts: a text snapshot per refresh
 * (-b, like top -b), one JSON object per socket per refresh (--jsonl)
 * and one line or object per event (--events), each flushed at once so
 * a pipe sees it when it happens.  JSON keys carry their units and
 * never follow the locale (docs/top.md lists them).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "i18n.h"
#include "list.h"
#include "top_out.h"

void top_out_time(char *buf, size_t size, double mono)
{
	struct timespec ts;
	struct tm tm;
	double wall;
	time_t sec;

	clock_gettime(CLOCK_REALTIME, &ts);
	wall = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 -
	       (top_model_now() - mono);
	sec = (time_t)wall;
	gmtime_r(&sec, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)((wall - (double)sec) * 1000));
}

/* "999", "12.3K", "4.5M", "1.2G" (powers of 1024, as top does). */
static const char *human(char *buf, size_t size, double v)
{
	static const char units[] = "KMGTP";
	int u = -1;

	while (v >= 10000 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "%.1f%c", v, units[u]);
	return buf;
}

static const char *closed_by(int how)
{
	return how == TOP_CLOSED_DESTROY  ? "destroy"
	       : how == TOP_CLOSED_KILLED ? "killed"
	       : how == TOP_CLOSED_POLL	  ? "poll"
					  : NULL;
}

/* ---- -b ------------------------------------------------------------- */

static void batch_header(FILE *f, const struct top_totals *t, long interval_ms)
{
	char at[32];

	top_out_time(at, sizeof(at), t->at);
	fprintf(f,
		_("sock top - %s, %zu sockets (%zu established, %zu "
		  "listening, %zu time-wait), %zu closed shown\n"),
		at, t->sockets, t->by_state[SOCK_DIAG_ESTABLISHED],
		t->by_state[SOCK_DIAG_LISTEN], t->by_state[SOCK_DIAG_TIME_WAIT],
		t->closed);
	fprintf(
	    f,
	    _("connections: %.1f opened/s, %.1f closed/s (closed ones "
	      "from %s)\n"),
	    t->opened_rate, t->closed_rate,
	    t->closed_source == TOP_CLOSED_DESTROY
		? _("the kernel's destroy reports")
		: _("the polls: a connection shorter than the interval is missed"));
	if (t->slowed)
		fprintf(f,
			_("refresh every %.2f s, not %.2f s: one poll takes "
			  "%.2f s\n"),
			t->refresh, (double)interval_ms / 1000.0,
			t->poll_seconds);
	if (t->have_counters)
		fprintf(f,
			_("kernel: %.1f ListenOverflows/s, %.1f "
			  "RetransSegs/s, %.1f EstabResets/s\n"),
			t->listen_overflows_rate, t->retrans_segs_rate,
			t->estab_resets_rate);
	fprintf(f,
		"%-5s %-22s %-22s %-11s %6s %7s %7s %7s %7s %7s %7s %6s %6s "
		"%-11s %s\n",
		_("Proto"), _("Local"), _("Remote"), _("State"), _("Age"),
		_("Recv-Q"), _("Send-Q"), _("TX/s"), _("RX/s"), _("TX"),
		_("RX"), _("Rtr/s"), _("RTT"), _("Limit"), _("PID/Program"));
}

/* Rates and totals, or "n/a" where the kernel counts no bytes. */
static void batch_bytes(FILE *f, const struct top_sock *s)
{
	char a[16], b[16], c[16], d[16];

	if (!s->has_bytes) {
		fprintf(f, " %7s %7s %7s %7s %6s %6s", "n/a", "n/a", "n/a",
			"n/a", "n/a", "-");
		return;
	}
	fprintf(f, " %7s %7s %7s %7s %6.1f", human(a, sizeof(a), s->tx_rate),
		human(b, sizeof(b), s->rx_rate),
		human(c, sizeof(c), (double)s->tx_bytes),
		human(d, sizeof(d), (double)s->rx_bytes), s->retrans_rate);
	if (s->rtt_us >= 1000)
		fprintf(f, " %4.1fms", s->rtt_us / 1000.0);
	else if (s->rtt_us)
		fprintf(f, " %4uus", s->rtt_us);
	else
		fprintf(f, " %6s", "-");
}

static void batch_row(FILE *f, const struct top_sock *s)
{
	char rq[24], sq[24];

	if (s->listening && s->protocol == 6)
		snprintf(rq, sizeof(rq), "%u/%u", s->recv_q, s->send_q);
	else
		snprintf(rq, sizeof(rq), "%u", s->recv_q);
	snprintf(sq, sizeof(sq), "%u", s->listening ? 0 : s->send_q);
	fprintf(f, "%-5s %-22s %-22s %-11s %6.0f %7s %7s", s->proto, s->local,
		s->remote, _(s->closed ? "CLOSED" : s->state_name), s->age, rq,
		sq);
	batch_bytes(f, s);
	if (!s->has_bytes && s->has_drops) /* what UDP and Unix can say */
		fprintf(f, " drops:%-5u", s->drops);
	else
		fprintf(f, " %-11s", s->limit ? s->limit : "-");
	if (s->pid)
		fprintf(f, " %d/%s", s->pid, s->comm ? s->comm : "");
	else
		fputs(" -", f);
	fputc('\n', f);
}

static int batch(FILE *f, const struct top_model *m, long interval_ms)
{
	batch_header(f, top_model_totals(m), interval_ms);
	for (size_t i = 0; i < top_model_count(m); i++)
		batch_row(f, top_model_sock(m, i));
	fputc('\n', f);
	return 0;
}

/* ---- --jsonl ------------------------------------------------------ */

static void json_str(FILE *f, const char *key, const char *v)
{
	fprintf(f, ",\"%s\":", key);
	if (v)
		tool_json_string(f, v, strlen(v));
	else
		fputs("null", f);
}

static void json_rate(FILE *f, const char *key, int have, double v)
{
	if (have)
		fprintf(f, ",\"%s\":%.1f", key, v);
	else
		fprintf(f, ",\"%s\":null", key);
}

/* The keys every socket object has (the event's too). */
static void json_sock(FILE *f, const struct top_sock *s)
{
	fprintf(f, ",\"cookie\":%" PRIu64, s->cookie);
	json_str(f, "proto", s->proto);
	json_str(f, "local", s->local);
	json_str(f, "remote", s->remote);
	json_str(f, "state", sock_diag_state_name(s->state));
	json_str(f, "netns", s->ns);
	fprintf(f, ",\"age_s\":%.3f,\"recv_q_bytes\":%u,\"send_q_bytes\":%u",
		s->age, s->listening ? 0 : s->recv_q,
		s->listening ? 0 : s->send_q);
	if (s->listening)
		fprintf(f, ",\"accept_queue\":%u,\"backlog\":%u", s->recv_q,
			s->send_q);
	if (s->has_bytes)
		fprintf(f,
			",\"tx_bytes\":%" PRIu64 ",\"rx_bytes\":%" PRIu64
			",\"retrans_segs\":%u",
			s->tx_bytes, s->rx_bytes, s->retrans);
	else
		fputs(",\"tx_bytes\":null,\"rx_bytes\":null,"
		      "\"retrans_segs\":null",
		      f);
	if (s->rtt_us)
		fprintf(f, ",\"rtt_us\":%u", s->rtt_us);
	if (s->has_drops)
		fprintf(f, ",\"drops\":%u", s->drops);
	json_str(f, "limit", s->limit);
	if (s->pid)
		fprintf(f, ",\"pid\":%d", s->pid);
	else
		fputs(",\"pid\":null", f);
	json_str(f, "comm", s->comm);
	if (s->uid != SOCK_DIAG_NO_UID)
		fprintf(f, ",\"uid\":%u", s->uid);
	fprintf(f, ",\"closed\":%s", s->closed ? "true" : "false");
	json_str(f, "closed_by", s->closed ? closed_by(s->closed_how) : NULL);
}

static void jsonl_totals(FILE *f, const struct top_totals *t, const char *at)
{
	fprintf(f,
		"{\"type\":\"totals\",\"time\":\"%s\",\"interval_s\":%.3f,"
		"\"sockets\":%zu,\"closed_shown\":%zu,\"established\":%zu,"
		"\"listening\":%zu,\"time_wait\":%zu,\"opened\":%" PRIu64
		",\"closed\":%" PRIu64,
		at, t->interval, t->sockets, t->closed,
		t->by_state[SOCK_DIAG_ESTABLISHED],
		t->by_state[SOCK_DIAG_LISTEN], t->by_state[SOCK_DIAG_TIME_WAIT],
		t->opened_total, t->closed_total);
	json_rate(f, "opened_per_s", t->interval > 0, t->opened_rate);
	json_rate(f, "closed_per_s", t->interval > 0, t->closed_rate);
	fprintf(f, ",\"closed_from\":\"%s\",\"poll_s\":%.3f,\"refresh_s\":%.3f",
		t->closed_source == TOP_CLOSED_DESTROY ? "destroy" : "poll",
		t->poll_seconds, t->refresh);
	json_rate(f, "listen_overflows_per_s", t->have_counters,
		  t->listen_overflows_rate);
	json_rate(f, "retrans_segs_per_s", t->have_counters,
		  t->retrans_segs_rate);
	json_rate(f, "estab_resets_per_s", t->have_counters,
		  t->estab_resets_rate);
	fputs("}\n", f);
}

static int jsonl(FILE *f, const struct top_model *m)
{
	const struct top_totals *t = top_model_totals(m);
	char at[32];

	top_out_time(at, sizeof(at), t->at);
	jsonl_totals(f, t, at);
	for (size_t i = 0; i < top_model_count(m); i++) {
		const struct top_sock *s = top_model_sock(m, i);
		int rates = s->has_bytes && t->interval > 0 && !s->closed;

		fprintf(f, "{\"type\":\"socket\",\"time\":\"%s\"", at);
		json_sock(f, s);
		json_rate(f, "tx_bytes_per_s", rates, s->tx_rate);
		json_rate(f, "rx_bytes_per_s", rates, s->rx_rate);
		json_rate(f, "retrans_segs_per_s", rates, s->retrans_rate);
		fputs("}\n", f);
	}
	return 0;
}

int top_out_refresh(struct top_out *out, const struct top_model *m)
{
	if (out->o->jsonl)
		jsonl(out->f, m);
	else
		batch(out->f, m, out->o->interval_ms);
	if (fflush(out->f) || ferror(out->f))
		return -(errno ? errno : EIO);
	return 0;
}

/* ---- --events -------------------------------------------------------- */

static const char *event_name(int kind)
{
	return kind == TOP_EV_OPENED   ? "opened"
	       : kind == TOP_EV_STATE  ? "state"
	       : kind == TOP_EV_CLOSED ? "closed"
				       : "?";
}

static void event_json(FILE *f, const struct top_event *ev, const char *at)
{
	fprintf(f, "{\"time\":\"%s\",\"event\":\"%s\"", at,
		event_name(ev->kind));
	if (ev->kind == TOP_EV_STATE)
		json_str(f, "old_state", sock_diag_state_name(ev->old_state));
	json_sock(f, ev->s);
	fputs("}\n", f);
}

static void event_text(FILE *f, const struct top_event *ev, const char *at)
{
	const struct top_sock *s = ev->s;

	fprintf(f, "%s %-6s %-5s %s %s %s", at, event_name(ev->kind), s->proto,
		s->local, s->remote,
		ev->kind == TOP_EV_STATE
		    ? sock_diag_state_netstat(ev->old_state)
		    : s->state_name);
	if (ev->kind == TOP_EV_STATE)
		fprintf(f, "->%s", s->state_name);
	if (ev->kind == TOP_EV_CLOSED && s->has_bytes)
		fprintf(f, " tx=%" PRIu64 " rx=%" PRIu64 " age=%.3fs",
			s->tx_bytes, s->rx_bytes, s->age);
	if (s->pid)
		fprintf(f, " pid=%d comm=%s", s->pid, s->comm ? s->comm : "");
	if (ev->kind == TOP_EV_CLOSED && closed_by(s->closed_how))
		fprintf(f, " by=%s", closed_by(s->closed_how));
	fputc('\n', f);
}

void top_out_start(struct top_out *out, const struct top_model *m)
{
	const struct top_totals *t = top_model_totals(m);
	int destroy = t->closed_source == TOP_CLOSED_DESTROY;
	char at[32];

	top_out_time(at, sizeof(at), t->at);
	if (out->o->json)
		fprintf(out->f,
			"{\"time\":\"%s\",\"event\":\"start\",\"sockets\":%zu,"
			"\"closed_from\":\"%s\"}\n",
			at, t->sockets, destroy ? "destroy" : "poll");
	else
		fprintf(
		    out->f, _("%s watching %zu sockets; closed ones from %s\n"),
		    at, t->sockets,
		    destroy
			? _("the kernel's destroy reports")
			: _("the polls: a connection shorter than the interval is missed"));
	if (fflush(out->f) || ferror(out->f))
		out->err = -(errno ? errno : EIO);
}

void top_out_event(const struct top_event *ev, void *arg)
{
	struct top_out *out = arg;
	char at[32];

	if (out->done || out->err)
		return;
	top_out_time(at, sizeof(at), ev->at);
	if (out->o->json)
		event_json(out->f, ev, at);
	else
		event_text(out->f, ev, at);
	if (fflush(out->f) || ferror(out->f))
		out->err = -(errno ? errno : EIO);
	out->events++;
	if (out->o->count && out->events >= out->o->count)
		out->done = 1;
}
