/*
 * fuzz_theme.c - libFuzzer target for theme files (theme_parse, --theme
 * FILE and themes/NAME.theme): any text parses or fails with file:line: and
 * the built-in default theme in force, never a crash; every colour of the
 * result is in -1..255 and only known attribute bits are set.
 * Build and run: make fuzz; tests/fuzz/run.sh 60 theme.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct theme t, d;
    SM_ERROR(e);
    char *text = malloc(size + 1);
    uint16_t known = 0;

    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = 0;                 /* a file's text: NUL ends it */
#define X(id, name, bit) known |= bit;
    THEME_ATTRS(X)
#undef X
    int rc = theme_parse(&t, text, "fuzz.theme", &e);
    if (rc != SM_OK) {
        theme_default(&d);
        if (rc != SM_EPARSE || memcmp(t.role, d.role, sizeof d.role) || !e.msg[0])
            abort();
    }
    for (int r = 0; r < STYLE_COUNT; r++)
        if (t.role[r].fg < -1 || t.role[r].fg > 255 || t.role[r].bg < -1 ||
            t.role[r].bg > 255 || (t.role[r].attrs & ~known))
            abort();
    if (!memchr(t.name, 0, sizeof t.name))
        abort();
    (void)theme_role(text);
    (void)theme_color(text);
    free(text);
    return 0;
}
