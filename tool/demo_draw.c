/*
 * tool/demo_draw.c - sock demo as diagrams: an SVG sequence diagram (two
 * lifelines, each call beside its end, arrows for what went over the
 * wire, states where they change) and a Mermaid sequenceDiagram.
 */
#include <errno.h>
#include <string.h>

#include "demo.h"
#include "i18n.h"

/* ---- SVG --------------------------------------------------------------- */

#define SVG_W 1000
#define X_CLIENT 330
#define X_SERVER 670
#define ROW 26
#define TOP 90

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				fputc(*s, f);
		}
	}
}

static void svg_label(FILE *f, int x, int y, const char *anchor,
		      const char *cls, const char *text)
{
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" class=\"%s\">",
		x, y, anchor, cls);
	xml_text(f, text);
	fputs("</text>\n", f);
}

/* A state box on a lifeline. */
static void svg_state(FILE *f, int x, int y, const char *label)
{
	int w = (int)strlen(label) * 7 + 12;

	fprintf(f,
		"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" rx=\"4\" "
		"class=\"state\"/>\n",
		x - w / 2, y - 12, w);
	svg_label(f, x, y, "middle", "st", label);
}

static void svg_arrow(FILE *f, int from, int to, int y, int lost,
		      const char *label)
{
	int end = lost ? (from + to) / 2 : to;

	fprintf(f,
		"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"wire\" "
		"marker-end=\"url(#%s)\"/>\n",
		from, y, end, y + 10, lost ? "lost" : "head");
	svg_label(f, (from + end) / 2, y - 2, "middle", "wl", label);
}

static void svg_wire(FILE *f, const struct demo_event *e, int y)
{
	char buf[64];
	const char *label = demo_wire_label(e, buf, sizeof(buf));
	int me = e->side == DEMO_CLIENT ? X_CLIENT : X_SERVER;
	int other = e->side == DEMO_CLIENT ? X_SERVER : X_CLIENT;

	if (e->wire == DEMO_WIRE_RST) {
		svg_arrow(f, me, other, y - 8, 0, "SYN");
		svg_arrow(f, other, me, y + 2, 0, "RST");
	} else if (e->wire == DEMO_WIRE_ICMP) {
		svg_arrow(f, other, me, y - 4, 0, label);
	} else if (e->wire != DEMO_WIRE_NONE) {
		svg_arrow(f, me, other, y - 4, e->wire == DEMO_WIRE_SYN_LOST,
			  label);
	}
}

static void svg_head(const struct demo *d, FILE *f, int height)
{
	char title[256];

	snprintf(title, sizeof(title), _("sock demo %s %s: server at %s"),
		 sock_addr_kind_name(d->kind), demo_scenario_name(d->scenario),
		 d->server_addr);
	fprintf(
	    f,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "font-family=\"DejaVu Sans Mono, monospace\" font-size=\"12\">\n"
	    "<defs>\n"
	    "<marker id=\"head\" markerWidth=\"10\" markerHeight=\"8\" "
	    "refX=\"9\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L10,4 "
	    "L0,8 z\" fill=\"#1f4e9c\"/></marker>\n"
	    "<marker id=\"lost\" markerWidth=\"10\" markerHeight=\"10\" "
	    "refX=\"5\" refY=\"5\" orient=\"auto\"><path d=\"M0,0 L10,10 "
	    "M10,0 L0,10\" stroke=\"#c0392b\" stroke-width=\"2\"/></marker>\n"
	    "<style>\n"
	    ".call{fill:#222} .err{fill:#c0392b} .note{fill:#555;"
	    "font-style:italic} .st{fill:#0b6e4f;font-weight:bold;"
	    "font-size:11px} .state{fill:#e8f6ef;stroke:#0b6e4f} "
	    ".wire{stroke:#1f4e9c;stroke-width:1.5} .wl{fill:#1f4e9c;"
	    "font-size:11px} .life{stroke:#888;stroke-dasharray:4 3} "
	    ".head{font-weight:bold;font-size:15px} .time{fill:#999;"
	    "font-size:10px}\n"
	    "</style>\n</defs>\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
	    SVG_W, height, SVG_W, height);
	svg_label(f, SVG_W / 2, 24, "middle", "head", title);
	svg_label(f, X_CLIENT, 56, "middle", "head", _("CLIENT"));
	svg_label(f, X_SERVER, 56, "middle", "head", _("SERVER"));
	fprintf(
	    f,
	    "<line x1=\"%d\" y1=\"64\" x2=\"%d\" y2=\"%d\" class=\"life\"/>\n"
	    "<line x1=\"%d\" y1=\"64\" x2=\"%d\" y2=\"%d\" class=\"life\"/>\n",
	    X_CLIENT, X_CLIENT, height - 10, X_SERVER, X_SERVER, height - 10);
}

static void svg_row(FILE *f, const struct demo_event *e, int y,
		    const char *st[2])
{
	char t[32];

	if (e->note) {
		svg_label(f, SVG_W / 2, y, "middle", "note", e->text);
		return;
	}
	snprintf(t, sizeof(t), "%.2f ms", e->t_us / 1000.0);
	svg_label(f, 6, y, "start", "time", t);
	if (e->side == DEMO_CLIENT)
		svg_label(f, X_CLIENT - 10, y, "end", e->err ? "err" : "call",
			  e->text);
	else
		svg_label(f, X_SERVER + 10, y, "start", e->err ? "err" : "call",
			  e->text);
	svg_wire(f, e, y);
	if (st[0])
		svg_state(f, X_CLIENT, y + 13, st[0]);
	if (st[1])
		svg_state(f, X_SERVER, y + 13, st[1]);
}

int demo_print_svg(const struct demo *d, FILE *f)
{
	char last[2][DEMO_STATE_MAX] = { "", "" };
	int y = TOP, height = TOP + (int)d->n * ROW + 30;

	svg_head(d, f, height);
	for (size_t i = 0; i < d->n; i++, y += ROW) {
		const struct demo_event *e = &d->ev[i];
		const char *st[2] = { NULL, NULL };

		for (int s = 0; s < 2 && !e->note; s++)
			if (e->state[s][0] && strcmp(e->state[s], last[s])) {
				st[s] = demo_state_label(e->state[s]);
				strcpy(last[s], e->state[s]);
			}
		svg_row(f, e, y, st);
	}
	fputs("</svg>\n", f);
	return ferror(f) ? -EIO : 0;
}

/* ---- Mermaid ------------------------------------------------------------ */

/* Message text: Mermaid ends a statement at ';' and reads '#' as the
 * start of an entity code, so both are written as entity codes. */
static void mm_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == ';')
			fputs("#59;", f);
		else if (*s == '#')
			fputs("#35;", f);
		else if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('\n', f);
}

static void mm_wire(FILE *f, const struct demo_event *e)
{
	char buf[64];
	const char *label = demo_wire_label(e, buf, sizeof(buf));
	const char *me = e->side == DEMO_CLIENT ? "C" : "S";
	const char *other = e->side == DEMO_CLIENT ? "S" : "C";

	if (e->wire == DEMO_WIRE_RST) {
		fprintf(f, "    %s->>%s: SYN\n    %s-->>%s: RST\n", me, other,
			other, me);
	} else if (e->wire == DEMO_WIRE_ICMP) {
		fprintf(f, "    %s-->>%s: ", other, me);
		mm_text(f, label);
	} else if (e->wire == DEMO_WIRE_SYN_LOST) {
		fprintf(f, "    %s-x%s: ", me, other);
		mm_text(f, label);
	} else if (e->wire != DEMO_WIRE_NONE) {
		fprintf(f, "    %s->>%s: ", me, other);
		mm_text(f, label);
	}
}

int demo_print_mermaid(const struct demo *d, FILE *f)
{
	char last[2][DEMO_STATE_MAX] = { "", "" };
	static const char *const id[2] = { "C", "S" };

	fprintf(f, "sequenceDiagram\n    participant C as ");
	mm_text(f, _("CLIENT"));
	fprintf(f, "    participant S as ");
	mm_text(f, _("SERVER"));
	for (size_t i = 0; i < d->n; i++) {
		const struct demo_event *e = &d->ev[i];

		if (e->note) {
			fprintf(f, "    Note over %s: ",
				e->side == DEMO_SERVER	 ? "S"
				: e->side == DEMO_CLIENT ? "C"
							 : "C,S");
			mm_text(f, e->text);
			continue;
		}
		fprintf(f, "    %s->>%s: ", id[e->side], id[e->side]);
		mm_text(f, e->text);
		mm_wire(f, e);
		for (int s = 0; s < 2; s++)
			if (e->state[s][0] && strcmp(e->state[s], last[s])) {
				fprintf(f, "    Note over %s: ", id[s]);
				mm_text(f, demo_state_label(e->state[s]));
				strcpy(last[s], e->state[s]);
			}
	}
	return fflush(f) ? -errno : 0;
}
