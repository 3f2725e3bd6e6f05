/*
 * evxml_frame.c: the framer of the event-XML parser.  A root-less stream
 * of events is not a document, and one broken event must not cost the
 * rest, so the text is cut into events before libxml2 sees any: from
 * "<Event" to the first "</Event>", or to the next "<Event" that starts
 * a line when an event is left open.  Between events, blanks, the XML
 * declaration, comments and the <Events> wrapper pass; a DOCTYPE fails
 * the input; other text is junk, skipped to the next line's "<Event".
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "parsers.h"
#include "evxml.h"

#define EVX_MAXTAG	4096		/* <?xml …?>, <!-- … -->, <Events …> */

/*
 * Whether the text at b[0, avail) starts with lit: 1 yes, 0 no, -1 not
 * enough bytes yet to tell.
 */
static int
evxml_match(const char *b, size_t avail, const char *lit)
{
	size_t	n = strlen(lit);

	if (avail >= n)
		return (memcmp(b, lit, n) == 0);
	return (memcmp(b, lit, avail) == 0 ? -1 : 0);
}

static int
evxml_blank(char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\n');
}

/* "<Event" then a blank, '>' or '/' (not "<Events"): 1, 0 or -1. */
static int
evxml_event_tag(const char *b, size_t avail)
{
	int	m;

	if ((m = evxml_match(b, avail, "<Event")) != 1)
		return (m);
	if (avail == 6)
		return (-1);
	return (evxml_blank(b[6]) || b[6] == '>' || b[6] == '/');
}

/* "</Event" blanks ">": the length of the tag, 0 if not, -1 if unsure. */
static long
evxml_end_tag(const char *b, size_t avail)
{
	size_t	i;
	int	m;

	if ((m = evxml_match(b, avail, "</Event")) != 1)
		return (m);
	for (i = 7; i < avail && evxml_blank(b[i]); i++)
		;
	if (i == avail)
		return (i > EVX_MAXTAG ? 0 : -1);
	return (b[i] == '>' ? (long)i + 1 : 0);
}

/* Junk between events: one item error, then on to a line's "<Event". */
static void
evxml_junk(struct evxml *ex, const char *reason)
{
	evxml_reject(ex, evxml_offset(ex, ex->scan), reason);
	ex->state = EVX_SKIP;
}

/*
 * Between events: blanks, the XML declaration, comments and the <Events>
 * wrapper pass (each in EVX_MAXTAG bytes); "<Event" starts an event; a
 * DOCTYPE fails the input; any other text is junk.  Returns 0 to go on,
 * -1 to wait for more bytes.
 */
static int
evxml_out(struct evxml *ex, int final)
{
	const char	*b = ex->in.buf + ex->scan, *end = NULL;
	size_t		 avail = ex->in.len - ex->scan, max;
	int		 m;

	if (evxml_blank(*b)) {
		ex->scan++;
		return (0);
	}
	if (*b != '<') {
		evxml_junk(ex, "text between events");
		return (0);
	}
	if ((m = evxml_event_tag(b, avail)) == 1) {
		ex->state = EVX_IN;
		ex->evstart = ex->scan;
		ex->scan += 6;
		return (0);
	}
	/* Every other tag told apart here is known by its first 9 bytes. */
	if (avail < 9 && !final)
		return (-1);
	if (evxml_match(b, avail, "<!DOCTYPE") == 1) {
		evxml_fail(ex, evxml_offset(ex, ex->scan), "a DOCTYPE is not "
		    "allowed in an event export (entities are never expanded)");
		return (0);
	}
	max = avail < EVX_MAXTAG ? avail : EVX_MAXTAG;
	if (evxml_match(b, avail, "<!--") == 1)
		end = memmem(b + 4, max - 4, "-->", 3);
	else if (evxml_match(b, avail, "<?") == 1 ||
	    evxml_match(b, avail, "<Events") == 1 ||
	    evxml_match(b, avail, "</Events") == 1)
		end = memchr(b, '>', max);
	else {
		evxml_junk(ex, "not an <Event> element");
		return (0);
	}
	if (end != NULL) {
		ex->scan += (size_t)(strchr(end, '>') - b) + 1;
		return (0);
	}
	if (avail < EVX_MAXTAG && !final)
		return (-1);
	evxml_junk(ex, "unfinished markup between events");
	return (0);
}

/* The event at evstart is longer than any kept: read and rejected. */
static void
evxml_toolong(struct evxml *ex)
{
	ex->stats.read++;
	evxml_reject(ex, evxml_offset(ex, ex->evstart),
	    "event longer than 1 MiB");
}

/*
 * Whether an "<Event" starts the line that starts at b[i]: 1, 0, or -1
 * when the bytes up to len do not tell yet.
 */
static int
evxml_line_event(const char *b, size_t i, size_t len)
{
	while (i < len && (b[i] == ' ' || b[i] == '\t'))
		i++;
	return (i < len ? evxml_event_tag(b + i, len - i) : -1);
}

/*
 * The first '<' in b[from, to) that starts "</Event" (or may, when the
 * text up to len ends first), or NULL.  A memchr from tag to tag beats
 * libc's substring searches here: most tags are rejected at their '/'.
 */
static char *
evxml_find_end(char *b, size_t from, size_t to, size_t len)
{
	char	*p = b + from;

	for (; (p = memchr(p, '<', to - (size_t)(p - b))) != NULL; p++) {
		/* The text is NUL terminated: p[1] may be read. */
		if (p[1] == '/' && evxml_match(p, len - (size_t)(p - b),
		    "</Event") != 0)
			return (p);
		if (p[1] == '\0' && (size_t)(p - b) + 1 == len)
			return (p);
	}
	return (NULL);
}

/*
 * Inside an event: on to its "</Event>", or to an "<Event" that starts a
 * line before it, which means this one was left open.  Returns 0 to go
 * on, -1 to wait for more bytes.
 */
static int
evxml_in(struct evxml *ex, int final)
{
	char		*b = ex->in.buf, *p, *nl;
	size_t		 len = ex->in.len, limit, end, i;
	long		 n = 0;
	int		 m;

	/* No event is looked for past its longest. */
	limit = len - ex->evstart > EVX_MAXEVENT ? ex->evstart +
	    EVX_MAXEVENT : len;
	for (end = ex->scan; end < limit; end++) {
		if ((p = evxml_find_end(b, end, limit, len)) == NULL) {
			end = limit;
			break;
		}
		end = (size_t)(p - b);
		if ((n = evxml_end_tag(p, len - end)) != 0)
			break;
	}
	/* A line in between that starts with "<Event" ends this one early. */
	for (i = ex->scan; i < end; i = (size_t)(nl - b) + 1) {
		if ((nl = memchr(b + i, '\n', end - i)) == NULL)
			break;
		if ((m = evxml_line_event(b, (size_t)(nl - b) + 1, len)) == -1 &&
		    !final) {
			ex->scan = (size_t)(nl - b);
			return (-1);
		}
		if (m == 1) {
			i = (size_t)(nl - b) + 1;
			while (b[i] != '<')
				i++;
			evxml_event(ex, ex->evstart, i, "event not closed "
			    "before the next <Event>");
			ex->evstart = i;
			ex->scan = i + 6;
			return (0);
		}
	}
	if (end < limit && n > 0) {
		ex->state = EVX_OUT;
		ex->scan = end + (size_t)n;
		if (ex->scan - ex->evstart <= EVX_MAXEVENT)
			evxml_event(ex, ex->evstart, ex->scan, NULL);
		else
			evxml_toolong(ex);
		return (0);
	}
	if (end < limit && !final) {
		/* "</Event" and maybe blanks, but no '>' yet. */
		ex->scan = end;
		return (-1);
	}
	if (limit < len) {
		evxml_toolong(ex);
		ex->scan = limit;
		ex->state = EVX_SKIP;
		return (0);
	}
	/* Rescan the last bytes next time: "</Event" may be cut there. */
	ex->scan = limit - ex->evstart > 7 ? limit - 7 : ex->evstart + 1;
	if (ex->scan < i)
		ex->scan = i;
	return (-1);
}

/* After junk: on to the next line that starts with "<Event". */
static int
evxml_skip(struct evxml *ex, int final)
{
	const char	*b = ex->in.buf, *p;
	size_t		 len = ex->in.len, i;
	int		 m;

	if ((p = memchr(b + ex->scan, '\n', len - ex->scan)) == NULL) {
		ex->scan = len;
		return (-1);
	}
	for (i = (size_t)(p - b) + 1; i < len && (b[i] == ' ' ||
	    b[i] == '\t'); i++)
		;
	m = i < len ? evxml_event_tag(b + i, len - i) : -1;
	if (m == -1 && !final) {
		ex->scan = (size_t)(p - b);
		return (-1);
	}
	if (m == 1) {
		ex->state = EVX_IN;
		ex->evstart = i;
		ex->scan = i + 6;
	} else
		ex->scan = i;
	return (0);
}

/*
 * Frames what the text buffer holds, then drops what is done with.  With
 * final set there are no more bytes to wait for.
 */
void
evxml_frame(struct evxml *ex, int final)
{
	size_t	done;
	int	rc = 0;

	while (!ex->failed && rc == 0 && ex->scan < ex->in.len) {
		switch (ex->state) {
		case EVX_OUT:
			rc = evxml_out(ex, final);
			break;
		case EVX_IN:
			rc = evxml_in(ex, final);
			break;
		case EVX_SKIP:
			rc = evxml_skip(ex, final);
			break;
		}
	}
	if (final && !ex->failed && ex->state == EVX_IN)
		evxml_event(ex, ex->evstart, ex->in.len,
		    "truncated: the input ends inside the event");
	done = ex->state == EVX_IN ? ex->evstart : ex->scan;
	if (done > 0) {
		pbuf_consume(&ex->in, done);
		ex->base += done;
		ex->scan -= done;
		if (ex->state == EVX_IN)
			ex->evstart = 0;
	}
}
