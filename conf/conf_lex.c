/*
 * conf_lex.c: splits a configuration buffer into tokens.  The buffer is
 * (pointer, length), not a C string, so a NUL byte is data to reject, not
 * the end of the file.  Each token records the line it starts on so that
 * every error can say where it is, and a broken token (an unterminated
 * string, a bad escape, an overlong word) is consumed whole and returned as
 * one error token, so the parser resynchronises without cascading errors.
 */

#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "conf.h"

#define CONF_LEX_NUL	"NUL byte in input"

/* Starts lexing buf; a UTF-8 byte order mark some editors add is skipped. */
void
conf_lex_init(struct conf_lex *lx, const char *buf, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->buf = buf;
	lx->len = len;
	lx->line = 1;
	lx->tokline = 1;
	lx->type = CONF_TOK_EOF;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		lx->pos = 3;
}

/* Moves past the newline at pos; the count saturates, never wraps. */
static void
conf_lex_newline(struct conf_lex *lx)
{
	lx->pos++;
	if (lx->line < INT_MAX)
		lx->line++;
}

/* White space between tokens; CR is here so CRLF files just work. */
static int
conf_lex_isspace(unsigned char c)
{
	return (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v');
}

/* A control character that is not white space: never valid outside strings. */
static int
conf_lex_isctrl(unsigned char c)
{
	return ((c < 0x20 && c != '\n' && !conf_lex_isspace(c)) || c == 0x7f);
}

/* A byte that ends a bare word. */
static int
conf_lex_isdelim(unsigned char c)
{
	return (c == '\n' || conf_lex_isspace(c) || conf_lex_isctrl(c) ||
	    c == '{' || c == '}' || c == ';' || c == '#' || c == '"');
}

/* Makes the current token an error with a static reason. */
static enum conf_tok
conf_lex_error(struct conf_lex *lx, const char *why)
{
	lx->type = CONF_TOK_ERROR;
	lx->error = why;
	lx->text[0] = '\0';
	lx->textlen = 0;
	return (lx->type);
}

/* Skips a # comment up to, not including, its newline; -1 if it has a NUL. */
static int
conf_lex_comment(struct conf_lex *lx)
{
	int	 nul = 0;

	while (lx->pos < lx->len && lx->buf[lx->pos] != '\n') {
		if (lx->buf[lx->pos] == '\0')
			nul = 1;
		lx->pos++;
	}
	return (nul ? -1 : 0);
}

/* A bare word: everything up to white space or punctuation. */
static enum conf_tok
conf_lex_word(struct conf_lex *lx)
{
	size_t	 start = lx->pos, n;

	while (lx->pos < lx->len &&
	    !conf_lex_isdelim((unsigned char)lx->buf[lx->pos]))
		lx->pos++;
	n = lx->pos - start;
	if (n > CONF_LEX_MAX)
		return (conf_lex_error(lx, "token too long"));
	memcpy(lx->text, lx->buf + start, n);
	lx->text[n] = '\0';
	lx->textlen = n;
	lx->type = CONF_TOK_WORD;
	return (lx->type);
}

/* True at the end of the line a string is on: LF, CRLF, CR at EOF or EOF. */
static int
conf_lex_eol(const struct conf_lex *lx)
{
	if (lx->pos >= lx->len || lx->buf[lx->pos] == '\n')
		return (1);
	return (lx->buf[lx->pos] == '\r' &&
	    (lx->pos + 1 == lx->len || lx->buf[lx->pos + 1] == '\n'));
}

/*
 * A double-quoted string; \" and \\ are the only escapes, since the one
 * place a backslash is common (DOMAIN\account) is exactly where a silently
 * kept "\M" would hide a mistake.  A string never spans lines: a missing
 * closing quote must not swallow the rest of the file.  On an error the
 * string is still read to its end, so the next token is a real one.
 */
static enum conf_tok
conf_lex_string(struct conf_lex *lx)
{
	const char	*why = NULL;
	size_t		 n = 0;
	unsigned char	 c, next;

	lx->pos++;
	for (;;) {
		if (conf_lex_eol(lx)) {
			if (why == NULL)
				why = "unterminated string";
			break;
		}
		c = (unsigned char)lx->buf[lx->pos];
		if (c == '"') {
			lx->pos++;
			break;
		}
		lx->pos++;
		if (c == '\\') {
			next = lx->pos < lx->len ?
			    (unsigned char)lx->buf[lx->pos] : '\0';
			if (next != '"' && next != '\\') {
				if (why == NULL)
					why = "invalid escape in string"
					    " (only \\\" and \\\\ are allowed)";
				continue;
			}
			lx->pos++;
			c = next;
		} else if (c == '\0') {
			if (why == NULL)
				why = CONF_LEX_NUL;
			continue;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			if (why == NULL)
				why = "control character in string";
			continue;
		}
		if (n == CONF_LEX_MAX) {
			if (why == NULL)
				why = "token too long";
			continue;
		}
		lx->text[n++] = (char)c;
	}
	if (why != NULL)
		return (conf_lex_error(lx, why));
	lx->text[n] = '\0';
	lx->textlen = n;
	lx->type = CONF_TOK_STRING;
	return (lx->type);
}

/* Reads the next token; at the end of the buffer it stays CONF_TOK_EOF. */
enum conf_tok
conf_lex_next(struct conf_lex *lx)
{
	unsigned char	 c;

	for (;;) {
		if (lx->pos >= lx->len) {
			lx->tokline = lx->line;
			lx->text[0] = '\0';
			lx->textlen = 0;
			lx->type = CONF_TOK_EOF;
			return (lx->type);
		}
		c = (unsigned char)lx->buf[lx->pos];
		if (c == '\n')
			conf_lex_newline(lx);
		else if (conf_lex_isspace(c))
			lx->pos++;
		else if (c == '#') {
			lx->tokline = lx->line;
			if (conf_lex_comment(lx) == -1)
				return (conf_lex_error(lx, CONF_LEX_NUL));
		} else
			break;
	}

	lx->tokline = lx->line;
	lx->text[0] = (char)c;
	lx->text[1] = '\0';
	lx->textlen = 1;
	switch (c) {
	case '{':
		lx->pos++;
		lx->type = CONF_TOK_LBRACE;
		return (lx->type);
	case '}':
		lx->pos++;
		lx->type = CONF_TOK_RBRACE;
		return (lx->type);
	case ';':
		lx->pos++;
		lx->type = CONF_TOK_SEMI;
		return (lx->type);
	case '"':
		return (conf_lex_string(lx));
	case '\0':
		lx->pos++;
		return (conf_lex_error(lx, CONF_LEX_NUL));
	default:
		if (conf_lex_isctrl(c)) {
			lx->pos++;
			return (conf_lex_error(lx,
			    "control character in input"));
		}
		return (conf_lex_word(lx));
	}
}
