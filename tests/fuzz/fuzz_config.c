/*
 * fuzz_config.c - libFuzzer target for the TUI config file
 * ($XDG_CONFIG_HOME/sovmap/config: "theme NAME", "bind MAP KEY ACTION").
 * The reader is static in src/cli/cmd_tui.c, so this file includes it and
 * calls read_config itself on the input written to a private config dir;
 * then the keymap must answer every lookup and the theme name and the
 * first error must be whole heap strings (or NULL). Bad lines are reported, never fatal.
 * Build and run: make fuzz; tests/fuzz/run.sh 60 config.
 */
#include <sys/stat.h>

#include "../../src/cli/cmd_tui.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], file[96];

static void
cleanup(void)
{
    char sub[80];

    unlink(file);
    snprintf(sub, sizeof sub, "%s/sovmap", dir);
    rmdir(sub);
    rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cli c;
    struct keymap km;
    char *theme = NULL, *msg = NULL, sub[80], buf[256];
    FILE *f;

    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/fuzz-config-%d", (int)getpid());
        snprintf(sub, sizeof sub, "%s/sovmap", dir);
        snprintf(file, sizeof file, "%s/config", sub);
        mkdir(dir, 0700);
        mkdir(sub, 0700);
        setenv("XDG_CONFIG_HOME", dir, 1);
        atexit(cleanup);
    }
    if (!(f = fopen(file, "wb")) || fwrite(data, 1, size, f) != size || fclose(f))
        abort();
    memset(&c, 0, sizeof c);
    if (!(c.err = fopen("/dev/null", "w")))
        abort();
    keymap_init(&km);
    read_config(&c, &km, &theme, &msg);
    fclose(c.err);
    /* both are whole heap strings or NULL (the reader's contract) */
    if ((theme && strlen(theme) > size) || (msg && !*msg))
        abort();
    free(theme);
    free(msg);
    if (km.nuser < 0 ||
        km.nuser > (int)(sizeof km.user / sizeof *km.user))
        abort();
    for (int m = 0; m < KEYMAP_COUNT; m++) {
        for (int k = 0; k < 128; k++)
            if ((int)keymap_lookup(&km, (enum keymap_id)m, k) >= ACT_COUNT)
                abort();
        for (int a = 0; a < ACT_COUNT; a++)
            (void)keymap_keys(&km, (enum keymap_id)m, (enum action)a, buf, sizeof buf);
    }
    return 0;
}
