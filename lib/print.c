// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Text and JSON printer. In JSON mode values go into a json-c tree held on a
 * small stack of open containers; in text mode they are formatted at once.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "print.h"
#include "util.h"

#define OP_DEPTH 16

struct optic_print {
	FILE *f;
	unsigned int flags;
	int err;
	int depth;
	json_object *stack[OP_DEPTH];
	json_object *root;
};

int optic_print_new(struct optic_print **out, FILE *f, unsigned int flags)
{
	struct optic_print *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->f = f;
	p->flags = flags;
	*out = p;
	return 0;
}

void optic_print_free(struct optic_print *p)
{
	if (!p)
		return;
	/* containers left open (a caller's error path) hold references */
	while (p->depth > 0)
		json_object_put(p->stack[--p->depth]);
	json_object_put(p->root);
	free(p);
}

bool optic_print_is_json(const struct optic_print *p)
{
	return p->flags & OPTIC_PRINT_JSON;
}

/* json-c represents JSON null as a NULL object: @null says it is meant. */
static void op_add_obj(struct optic_print *p, const char *key, json_object *o,
		       bool null)
{
	json_object *top;

	if (!o && !null) {
		p->err = p->err ?: -ENOMEM;
		return;
	}
	if (p->depth == 0) {
		if (p->root || !o) {
			/* A second top-level value is a programming error. */
			json_object_put(o);
			p->err = p->err ?: -EINVAL;
			return;
		}
		p->root = json_object_get(o);
		json_object_put(o);
		return;
	}
	top = p->stack[p->depth - 1];
	if (json_object_is_type(top, json_type_array)) {
		if (json_object_array_add(top, o) < 0) {
			json_object_put(o);
			p->err = p->err ?: -ENOMEM;
		}
	} else {
		if (json_object_object_add(top, key ?: "", o) < 0)
			p->err = p->err ?: -ENOMEM;
	}
}

static void op_add(struct optic_print *p, const char *key, json_object *o)
{
	op_add_obj(p, key, o, false);
}

static void op_push(struct optic_print *p, const char *key, json_object *o)
{
	if (!o || p->depth >= OP_DEPTH) {
		json_object_put(o);
		p->err = p->err ?: (o ? -E2BIG : -ENOMEM);
		/* keep depth balanced: push a placeholder */
		if (p->depth < OP_DEPTH)
			p->stack[p->depth++] = NULL;
		return;
	}
	op_add(p, key, json_object_get(o));
	p->stack[p->depth++] = o;
}

static void op_pop(struct optic_print *p)
{
	if (p->depth == 0) {
		p->err = p->err ?: -EINVAL;
		return;
	}
	json_object_put(p->stack[--p->depth]);
}

static bool op_json_ready(struct optic_print *p)
{
	/* Inside a container that failed to be created: drop the value. */
	return !(p->depth > 0 && !p->stack[p->depth - 1]);
}

/* A value goes into JSON with a key, or without one into an array. */
static bool op_want(struct optic_print *p, const char *key)
{
	if (!op_json_ready(p))
		return false;
	if (key || p->depth == 0)
		return true;
	return json_object_is_type(p->stack[p->depth - 1], json_type_array);
}

void op_open_object(struct optic_print *p, const char *key)
{
	if (optic_print_is_json(p) && op_json_ready(p))
		op_push(p, key, json_object_new_object());
	else if (optic_print_is_json(p))
		op_push(p, key, NULL);
}

void op_close_object(struct optic_print *p)
{
	if (optic_print_is_json(p))
		op_pop(p);
}

void op_open_array(struct optic_print *p, const char *key)
{
	if (optic_print_is_json(p) && op_json_ready(p))
		op_push(p, key, json_object_new_array());
	else if (optic_print_is_json(p))
		op_push(p, key, NULL);
}

void op_close_array(struct optic_print *p)
{
	op_close_object(p);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

void op_string(struct optic_print *p, const char *key, const char *fmt,
	       const char *val)
{
	if (optic_print_is_json(p)) {
		if (op_want(p, key))
			op_add(p, key, json_object_new_string(val ?: ""));
	} else if (fmt) {
		fprintf(p->f, fmt, val ?: "");
	}
}

void op_uint(struct optic_print *p, const char *key, const char *fmt,
	     uint64_t val)
{
	if (optic_print_is_json(p)) {
		if (op_want(p, key))
			op_add(p, key, json_object_new_uint64(val));
	} else if (fmt) {
		fprintf(p->f, fmt, val);
	}
}

void op_int(struct optic_print *p, const char *key, const char *fmt,
	    int64_t val)
{
	if (optic_print_is_json(p)) {
		if (op_want(p, key))
			op_add(p, key, json_object_new_int64(val));
	} else if (fmt) {
		fprintf(p->f, fmt, val);
	}
}

void op_float(struct optic_print *p, const char *key, const char *fmt,
	      double val, int prec)
{
	char buf[64];

	if (optic_print_is_json(p)) {
		if (!op_want(p, key))
			return;
		if (!isfinite(val)) {
			op_add_obj(p, key, NULL, true);
			return;
		}
		if (prec < 0) {
			/* significant digits, for tiny calibration constants */
			snprintf(buf, sizeof(buf), "%.*g", -prec, val);
			op_add(p, key, json_object_new_double_s(val, buf));
			return;
		}
		snprintf(buf, sizeof(buf), "%.*f", prec, val);
		/* -0.000 is not what anybody wants to read */
		if (strtod(buf, NULL) == 0.0 && buf[0] == '-')
			snprintf(buf, sizeof(buf), "%.*f", prec, 0.0);
		op_add(p, key,
		       json_object_new_double_s(strtod(buf, NULL), buf));
	} else if (fmt) {
		fprintf(p->f, fmt, val);
	}
}

void op_bool(struct optic_print *p, const char *key, const char *fmt, bool val)
{
	if (optic_print_is_json(p)) {
		if (op_want(p, key))
			op_add(p, key, json_object_new_boolean(val));
	} else if (fmt) {
		fprintf(p->f, fmt, val ? "yes" : "no");
	}
}

#pragma GCC diagnostic pop

void op_null(struct optic_print *p, const char *key, const char *fmt)
{
	if (optic_print_is_json(p)) {
		if (op_want(p, key))
			op_add_obj(p, key, NULL, true);
	} else if (fmt) {
		fputs(fmt, p->f);
	}
}

void op_json_text(struct optic_print *p, const char *key, const char *json)
{
	json_object *o;

	if (!optic_print_is_json(p) || !op_want(p, key))
		return;
	o = json_tokener_parse(json);
	if (!o) {
		p->err = p->err ?: -EBADMSG;
		return;
	}
	op_add(p, key, o);
}

void op_json_object(struct optic_print *p, const char *key, json_object *o)
{
	if (!optic_print_is_json(p) || !op_want(p, key))
		return;
	op_add(p, key, json_object_get(o));
}

void op_text(struct optic_print *p, const char *fmt, ...)
{
	va_list ap;

	if (optic_print_is_json(p))
		return;
	va_start(ap, fmt);
	vfprintf(p->f, fmt, ap);
	va_end(ap);
}

int optic_print_flush(struct optic_print *p)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	if (p->err)
		return p->err;
	if (optic_print_is_json(p) && p->root) {
		if (p->depth)
			return -EINVAL;
		flags |= (p->flags & OPTIC_PRINT_PRETTY) ?
				 JSON_C_TO_STRING_PRETTY |
					 JSON_C_TO_STRING_SPACED :
				 JSON_C_TO_STRING_PLAIN;
		fprintf(p->f, "%s\n",
			json_object_to_json_string_ext(p->root, flags));
		json_object_put(p->root);
		p->root = NULL;
	}
	if (fflush(p->f) == EOF || ferror(p->f))
		return -errno ?: -EIO;
	return 0;
}
