/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One printer for text and JSON, in the manner of iproute2's
 * print_string(PRINT_ANY, key, fmt, value): every call names both the JSON
 * key and the text format. A NULL key prints only text, a NULL fmt only JSON.
 * JSON output is built with json-c and written by optic_print_flush().
 */
#ifndef OPTIC_PRINT_H
#define OPTIC_PRINT_H

#include <stdbool.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#define OPTIC_PRINT_JSON 0x1
#define OPTIC_PRINT_PRETTY 0x2

struct optic_print;

int optic_print_new(struct optic_print **out, FILE *f, unsigned int flags);
void optic_print_free(struct optic_print *p);
bool optic_print_is_json(const struct optic_print *p);
/* Writes the JSON document (if any); returns the first error seen, or 0. */
int optic_print_flush(struct optic_print *p);

/* Containers: key is NULL inside an array or for the top level. */
void op_open_object(struct optic_print *p, const char *key);
void op_close_object(struct optic_print *p);
void op_open_array(struct optic_print *p, const char *key);
void op_close_array(struct optic_print *p);

void op_string(struct optic_print *p, const char *key, const char *fmt,
	       const char *val);
void op_uint(struct optic_print *p, const char *key, const char *fmt,
	     uint64_t val);
void op_int(struct optic_print *p, const char *key, const char *fmt,
	    int64_t val);
/*
 * JSON gets @prec decimals (or, when @prec < 0, -@prec significant digits);
 * a NaN or an infinity becomes JSON null.
 */
void op_float(struct optic_print *p, const char *key, const char *fmt,
	      double val, int prec);
void op_bool(struct optic_print *p, const char *key, const char *fmt, bool val);
void op_null(struct optic_print *p, const char *key, const char *fmt);
/* JSON only: a JSON document given as text, parsed and added as is. */
void op_json_text(struct optic_print *p, const char *key, const char *json);
/* JSON only: a json-c object added as is (the printer takes a reference). */
struct json_object;
void op_json_object(struct optic_print *p, const char *key,
		    struct json_object *o);
/* Text only. */
void op_text(struct optic_print *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* OPTIC_PRINT_H */
