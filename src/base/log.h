/*
 * log.h - one line per event on stderr: time, level, request id, message.
 *
 * The request id is per thread: the HTTP layer sets it when it starts
 * handling a request, so every line logged while serving that request
 * carries it without the caller passing it along.
 */
#ifndef WK_LOG_H
#define WK_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level lvl);
/* Set (or clear, with NULL) this thread's request id. Copied. */
void log_set_request_id(const char *id);
const char *log_request_id(void);

void log_msg(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
