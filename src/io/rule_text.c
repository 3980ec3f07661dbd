/*
 * rule_text.c - read a rule's explanation from DATADIR/rules/explain/ID.txt.
 * The id is checked before it becomes part of a path: no "../", no "/".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_text.h"

int
rule_text_load(const char *datadir, const char *id, char **out, struct sm_error *err)
{
    size_t n = 0, cap = 4096, len;
    char *path, *buf;
    FILE *f;

    if (!id || !*id || strlen(id) > 32 || strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(id))
        return sm_error_set(err, SM_ENOTFOUND, "no explanation for rule %s", id ? id : "");
    len = strlen(datadir) + strlen(id) + 32;
    if (!(path = malloc(len)))
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    snprintf(path, len, "%s/rules/explain/%s.txt", datadir, id);
    if (!(f = fopen(path, "r"))) {
        int rc = errno == ENOENT ? sm_error_set(err, SM_ENOTFOUND, "no explanation for rule %s", id)
                                 : sm_error_set(err, SM_EIO, "%s: %s", path, strerror(errno));
        free(path);
        return rc;
    }
    if (!(buf = malloc(cap))) {
        fclose(f);
        free(path);
        return sm_error_set(err, SM_ENOMEM, "out of memory");
    }
    for (;;) {
        size_t got;
        if (cap - n < 2) {
            char *nb = cap > (1u << 20) ? NULL : realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                fclose(f);
                free(path);
                return sm_error_set(err, SM_ENOMEM, "rule text %s: too large", id);
            }
            buf = nb;
            cap *= 2;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        fclose(f);
        int rc = sm_error_set(err, SM_EIO, "%s: read error", path);
        free(path);
        return rc;
    }
    fclose(f);
    free(path);
    buf[n] = '\0';
    *out = buf;
    return SM_OK;
}
