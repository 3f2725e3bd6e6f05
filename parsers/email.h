/*
 * email.h: the pieces of the email parser and what they share.  email.c
 * parses the MIME message and hands its text to the reader of its kind:
 * email_alert.c (Connect Health alerts) or email_report.c (the sync-error
 * report); email_html.c turns an HTML body into lines of text.  Kept
 * apart from parsers.h: nothing outside the email parser needs these.
 */

#ifndef EMAIL_H
#define EMAIL_H

#include <stddef.h>
#include <stdint.h>

#define EMAIL_MAXFIELD	4096		/* one value read from a body */

struct record;

/* What the readers get of one mail; it all lives until the mail is done. */
struct email_msg {
	const char	*sender;	/* the From address */
	char		*subject;	/* decoded, on one line; or NULL */
	char		*msgid;		/* Message-ID without <>; or NULL */
	int64_t		 date;		/* the Date header, or REC_TIME_NONE */
	char		*plain;		/* the first text/plain part, or NULL */
	char		*html;		/* the first text/html part as text */
};

/* Hands a record on; 0, or -1 when the parser must stop. */
typedef int (*email_emit_cb)(const struct record *, void *arg);

/* email.c */
/* s past leading blanks, trailing blanks cut off in place. */
char		*email_trim(char *s);
/* Copies src into dst (dstsz bytes), cut at a character boundary. */
void		 email_copy(char *dst, size_t dstsz, const char *src);
/* A copy of s on one line, capped (the caller frees); NULL for NULL. */
char		*email_dup(const char *s);
/* A date as the mails write it ("June 16, 2024 01:30 UTC", ISO, en-US). */
int64_t		 email_when(const char *s);
/* text split into lines in place: an array the caller frees, or NULL. */
char		**email_lines(char *text, size_t *n);

/* email_alert.c */
/*
 * The record of a Connect Health alert mail: 1 when it was emitted, 0 when
 * the mail is no alert, -1 when emit asked to stop or memory ran out.
 */
int		 email_alert(struct email_msg *, email_emit_cb, void *arg);

/* email_report.c */
/*
 * The records of a sync-error report mail, one per error it lists: how
 * many were emitted, or -1 when emit asked to stop or memory ran out.
 */
int		 email_report(struct email_msg *, email_emit_cb, void *arg);

/* email_html.c */
/*
 * The text of an HTML body (UTF-8, len bytes): block elements and table
 * rows end lines, table cells are separated by tabs, entities decoded,
 * scripts and styles dropped; at most max bytes are kept.  The string is
 * the caller's to free; NULL on no memory.
 */
char		*email_html_text(const char *html, size_t len, size_t max);

#endif /* EMAIL_H */
