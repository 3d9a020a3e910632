/*
 * arena.h - a region allocator: one per request (or per job), freed whole.
 *
 * Everything allocated from an arena lives until arena_free(). Non-memory
 * resources (files, statements, daemons) are released by cleanup callbacks
 * registered on the arena, run in reverse order of registration by
 * arena_free(). Allocation failure returns NULL; a capped arena (max != 0)
 * also returns NULL once its total would pass the cap.
 */
#ifndef WK_ARENA_H
#define WK_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* New arena that refuses to hold more than max bytes (0 = no cap). */
struct arena *arena_new(size_t max);
/* Run the cleanups, free every block and the arena. NULL is fine. */
void arena_free(struct arena *a);

/* n bytes, aligned for any type, zeroed. NULL on failure. */
void *arena_alloc(struct arena *a, size_t n);
/* Copy of s (NULL gives NULL). */
char *arena_strdup(struct arena *a, const char *s);
/* Copy of the n bytes at s, NUL-terminated. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_sprintf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Call fn(arg) when the arena is freed. Returns 0 or WK_ENOMEM (in which
 * case fn is called at once, so the resource is never leaked). */
int arena_on_free(struct arena *a, void (*fn)(void *), void *arg);

/* Bytes handed out so far. */
size_t arena_used(const struct arena *a);

#endif
