/*
 * fuzz_epub.c - fuzz harness for the EPUB parser and the XHTML content
 * documents it reads.
 *
 * Inputs that start with "PK" go to parse_document() as they are.
 * Anything else is split at NUL bytes into a first chapter, the OPF
 * package document, a second chapter, META-INF/container.xml and
 * META-INF/encryption.xml, packed into a stored zip after a fixed
 * "mimetype" entry. Parts the input does not give get defaults (an OPF
 * whose spine lists both chapters, a container that points at it), so
 * an input that is a single XHTML document goes straight to xhtml.c.
 */
#include "fuzz_util.h"

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

int fuzz_epub(const uint8_t *data, size_t size)
{
	const uint8_t *part[NPARTS];
	size_t plen[NPARTS], n, zlen;
	uint8_t *z;

	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		fz_run(data, size);
		return 0;
	}
	part[0] = (const uint8_t *)mime;
	plen[0] = sizeof(mime) - 1;
	n = 1 + fz_split(data, size, part + 1, plen + 1, NPARTS - 1);
	if (n < 3) {
		part[2] = (const uint8_t *)opf;
		plen[2] = sizeof(opf) - 1;
	}
	if (n < 4) {
		part[3] = (const uint8_t *)"<html/>";
		plen[3] = 7;
	}
	if (n < 5) {
		part[4] = (const uint8_t *)container;
		plen[4] = sizeof(container) - 1;
		n = 5;
	}
	z = fz_pack(names, part, plen, n, &zlen);
	if (z)
		fz_run(z, zlen);
	free(z);
	return 0;
}

#ifdef FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { fuzz_epub(d, n); return 0; }
#endif
