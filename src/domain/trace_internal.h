/*
 * trace_internal.h - what trace.c and tracezip.c share (trace.h is the
 * module's interface).
 */
#ifndef WK_TRACE_INTERNAL_H
#define WK_TRACE_INTERNAL_H

#include "trace.h"

/* The label before a visible mark, and the name a mark is kept under in
 * document properties (docx/pptx/xlsx custom.xml, odt meta.xml, the
 * epub's OPF). */
#define TRACE_LABEL "下载编号 "
#define TRACE_PROP "wenku-download"

/* A copy of a zip-based document (format "docx", "pptx", "xlsx", "odt"
 * or "epub") with the mark stamped in, as trace_stamp(). */
int trace_zip_stamp(const char *format, const unsigned char *in, size_t len,
		    const char *mark, unsigned char **out, size_t *outlen);

/* Look for a mark in the parts of a zip (text parts with their tags
 * stripped first, then the property parts), as trace_find(). */
int trace_zip_find(const unsigned char key[TRACE_KEY_BYTES],
		   const unsigned char *data, size_t len, int64_t *id,
		   bool *genuine);

/* A labelled mark in text: "下载编号 D...", or "Download ID D..." (text
 * in UTF-16 or legacy encodings, and PDFs stamped before their footer
 * was Chinese). */
int trace_find_text(const unsigned char key[TRACE_KEY_BYTES],
		    const unsigned char *data, size_t len, int64_t *id,
		    bool *genuine);

/* A mark within a short distance after name (a property's name) in
 * data: <property name="wenku-download"><vt:lpwstr>D...,
 * /WenkuDownload (D...). */
int trace_find_after(const unsigned char key[TRACE_KEY_BYTES],
		     const unsigned char *data, size_t len, const char *name,
		     int64_t *id, bool *genuine);

#endif
