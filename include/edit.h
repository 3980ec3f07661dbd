/*
 * edit.h - one change to the model, as data: add an object with attributes,
 * set attributes of an object, or remove one. The CLI, the TUI, scenarios
 * and the audit log all speak this one form, and every applied edit yields
 * its inverse (for undo and for rolling back the model when the catalog
 * write fails).
 *
 * Core: no I/O. The store (store_apply) writes an applied edit to the
 * catalog with its audit entry in one transaction.
 */
#ifndef EDIT_H
#define EDIT_H

#include "model.h"

enum edit_op { EDIT_ADD, EDIT_SET, EDIT_REMOVE };

#define EDIT_MAX_ATTRS 24

struct edit_attr {
    const char *name;           /* an attribute of model_attrs(kind) */
    const char *value;          /* its text form */
};

struct edit {
    enum edit_op op;
    enum obj_kind kind;
    /* The object: its selector (name, DATASET@REGION[/ROLE], RULE:OBJECT).
     * For EDIT_ADD of a placement: "DATASET@REGION" with role an attribute;
     * for a flow: its name, or "" for the default name. */
    const char *key;
    int nattrs;
    struct edit_attr attrs[EDIT_MAX_ATTRS];
};

/* What an applied edit touched, for the store and for undo. */
struct edit_result {
    enum obj_kind kind;
    int32_t id;                 /* the object added, changed or removed */
    const char *selector;       /* its selector after the edit, whole (res's own) */
    /* The inverse: ninverse edits to apply in order (a removed dataset comes
     * back as its add, then its copies, then its flows). Owned by res:
     * edit_result_fini frees it (edit_dup an element to keep it). Fields
     * and tags cannot be written as edits: edit_revert restores them. */
    struct edit *inverse;
    int ninverse;
    struct edit_undo *undo;     /* exact undo record (edit_revert), owned by res */
    char *before;               /* model_describe text before, heap or NULL */
    char *after;                /* ... after, heap or NULL */
    /* Every object whose stored row must be rewritten or deleted:
     * (kind, id) pairs, e.g. a removed dataset's placements and flows. */
    int32_t ntouched;
    struct { enum obj_kind kind; int32_t id; } touched[64];
    bool overflow;              /* more than 64 touched: save the dataset whole */
    bool unchanged;             /* store_apply: nothing changed, nothing written */
};

/* Apply e to m. On failure m is unchanged and res is zeroed. The caller
 * releases res with edit_result_fini. */
int edit_apply(struct model *m, const struct edit *e, struct edit_result *res,
               struct sm_error *err);
void edit_result_fini(struct edit_result *res);
/* SM_EINVAL when e adds an object whose name holds a control character (C0,
 * DEL, C1: sm_control_at), the name escaped by whoever prints the message.
 * The CLI and the TUI ask before they apply a new name (QA #21; model-json
 * refuses one too); edit_apply itself takes it, as catalogs that hold one
 * already do. */
int edit_check_name(const struct edit *e, struct sm_error *err);

/* Undo an applied edit exactly (same ids; a removed dataset gets back its
 * fields, tags with provenance, copies and flows), and redo it. They toggle:
 * revert, then reapply, then revert ... SM_EEXIST when a name was taken
 * again meanwhile; m is unchanged on failure. */
int edit_revert(struct model *m, struct edit_result *res, struct sm_error *err);
int edit_reapply(struct model *m, struct edit_result *res, struct sm_error *err);
/* The edit a redo (edit_reapply) makes again, in edit_format's form: the
 * edit as applied, keyed by the object's selector before it ("placement set
 * d@aws:us-east-1 region=aws:eu-south-1"), where inverse[0] is what an undo
 * makes. "" when res holds no applied edit. */
size_t edit_format_redo(const struct edit_result *res, char *buf, size_t size);
/* Has res been reverted (and not reapplied)? */
bool edit_reverted(const struct edit_result *res);

/* A heap copy (strings copied) / free. */
struct edit *edit_dup(const struct edit *e);
void edit_free(struct edit *e);

/* "dataset set orders tier=restricted subjects=EU" - one line, the form the
 * audit log and scenario listings show. Values with blanks are quoted. */
size_t edit_format(const struct edit *e, char *buf, size_t size);
/* edit_format and edit_format_redo on the heap, whole (the caller frees);
 * NULL when out of memory. */
char *edit_format_dup(const struct edit *e);
char *edit_format_redo_dup(const struct edit_result *res);

#endif
