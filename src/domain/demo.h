/*
 * demo.h - the demo library built on a site's first start.
 */
#ifndef WK_DEMO_H
#define WK_DEMO_H

#include <stdbool.h>

struct store;

/* When the database has no categories and no documents, create the demo
 * library: 文秘 categories, a real-name-verified demo provider, a demo
 * reader with a comment thread, the reference lecture and the longer
 * demo documents built into the binary (assets under demo/), and the
 * document-page fragment. *seeded tells whether anything was created.
 * Returns 0 or a WK_ error (logged). */
int demo_seed(struct store *s, bool *seeded);

#endif
