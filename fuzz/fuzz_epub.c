/*
 * fuzz_epub.c - fuzz harness for the EPUB parser and the XHTML content
 * documents it reads.
 *
 * Inputs that start with "PK" go to parse_document() as they are.
 * Anything else is split at NUL bytes into a first chapter, the OPF
 * package document, a second chapter, META-INF/container.xml and
 * META-INF/encryption.xml, packed into a stored zip after a fixed
 * "mimetype" entry (pack.c). Parts the input does not give get defaults
 * (an OPF whose spine lists both chapters, a container that points at
 * it), so an input that is a single XHTML document goes straight to
 * xhtml.c.
 */
#include "pack.h"

#include <stdint.h>

int fuzz_epub(const uint8_t *data, size_t size);

static const char mime[] = "application/epub+zip";
static const char opf[] =
	"<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\">"
	"<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
	"<dc:title>t</dc:title></metadata><manifest>"
	"<item id=\"a\" href=\"c1.xhtml\" media-type=\"application/xhtml+xml\"/>"
	"<item id=\"b\" href=\"c2.xhtml\" media-type=\"application/xhtml+xml\"/>"
	"</manifest><spine><itemref idref=\"a\"/><itemref idref=\"b\"/>"
	"</spine></package>";
static const char container[] =
	"<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:"
	"xmlns:container\"><rootfiles><rootfile full-path=\"OEBPS/content.opf\" "
	"media-type=\"application/oebps-package+xml\"/></rootfiles></container>";

static const char *const names[] = {
	"mimetype", "OEBPS/c1.xhtml", "OEBPS/content.opf", "OEBPS/c2.xhtml",
	"META-INF/container.xml", "META-INF/encryption.xml",
};
#define NPARTS (sizeof(names) / sizeof(names[0]))

/* For the OPF, the second chapter and the container when the input
 * does not reach them; encryption.xml is left out then. */
static const char *const defaults[] = {
	NULL, NULL, opf, "<html/>", container, NULL,
};

int fuzz_epub(const uint8_t *data, size_t size)
{
	fuzz_ocf(data, size, mime, names, defaults, 5, NPARTS);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_epub(d, n); return 0; }
#endif
