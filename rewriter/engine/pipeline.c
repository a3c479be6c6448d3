/* pipeline.c - decode, run the passes, assemble: every code object of a pyc.
 *
 * Reading rewrite_code() teaches the engine: children first (so a parent
 * sees its rebuilt co_consts), then decode -> passes -> assemble with
 * lz_code_check() between the steps in debug and test builds.  Instruction
 * lists live in a work arena per code object, dropped as soon as that code
 * object is assembled; the new marshal nodes go to the pyc's arena.
 * Code objects are found only as direct items of co_consts (where the
 * compiler puts them).  A code node reachable twice is rewritten twice into
 * two equal nodes: correct, merely not shared any more.
 */
#include <string.h>

#include "lz_code_int.h"
#include "lz_pipeline.h"

struct run {
    const struct lz_version *r_ver;
    struct lz_arena *r_obj_arena;   /* the pyc's: new nodes live as long as it */
    struct lz_share *r_share;       /* keeps merged tables merged (code_share.c) */
    const struct lz_pipeline_pass *r_passes;
    size_t r_npasses;
    struct lz_pipeline_stats r_stats;
    struct lz_error *r_err;
};

#ifndef NDEBUG
static int check_after(struct lz_code *c, const char *step, struct lz_error *err)
{
    int rc = lz_code_check(c, err);

    if (rc < 0)
        lz_error_prefix(err, step);
    return rc;
}
#define CHECK_AFTER(c, step, err) LZ_TRY(check_after((c), (step), (err)))
#else
#define CHECK_AFTER(c, step, err) ((void)0)
#endif

static int rewrite_code(struct run *r, struct lz_obj *node, unsigned depth,
                        struct lz_obj **out);

/* co_consts with every nested code object rewritten: the original tuple if
 * none changed, else a new one (the original may be shared). */
static int rewrite_children(struct run *r, struct lz_obj *consts, unsigned depth,
                            struct lz_obj **out)
{
    struct lz_obj *copy = NULL;

    for (size_t i = 0; i < consts->u.o_seq.n; i++) {
        struct lz_obj *item = consts->u.o_seq.items[i], *new_item;
        if (item->o_kind != LZ_K_CODE)
            continue;
        LZ_TRY(rewrite_code(r, item, depth + 1, &new_item));
        if (new_item == item)
            continue;
        if (!copy) {
            copy = lz_obj_new_tuple(r->r_obj_arena, consts->u.o_seq.n);
            if (!copy)
                return lz_error_set(r->r_err, LZ_ENOMEM, "out of memory rebuilding co_consts");
            memcpy(copy->u.o_seq.items, consts->u.o_seq.items,
                   consts->u.o_seq.n * sizeof *copy->u.o_seq.items);
            copy->o_ref = consts->o_ref;
        }
        copy->u.o_seq.items[i] = new_item;
    }
    *out = copy ? copy : consts;
    return LZ_OK;
}

static int run_passes(struct run *r, struct lz_code *c)
{
    CHECK_AFTER(c, "decode", r->r_err);
    for (size_t i = 0; i < r->r_npasses; i++) {
        const struct lz_pipeline_pass *p = &r->r_passes[i];
        int rc = p->p_run(c, p->p_ctx, r->r_err);
        if (rc < 0) {
            lz_error_prefix(r->r_err, p->p_name);
            return rc;
        }
        CHECK_AFTER(c, p->p_name, r->r_err);
    }
    return LZ_OK;
}

static void count(struct run *r, const struct lz_code *c, const struct lz_obj *in,
                  const struct lz_obj *out)
{
    r->r_stats.ps_codes++;
    r->r_stats.ps_changed += in != out;
    r->r_stats.ps_instr_before += c->c_orig_ninstr;
    r->r_stats.ps_instr_after += c->c_ninstr;
    r->r_stats.ps_units_before += c->c_orig_nunits;
    r->r_stats.ps_units_after += out->u.o_codeobj->co_code->u.o_raw.size / 2;
}

static bool wanted(const struct run *r, const struct lz_obj *node, unsigned depth)
{
    if (r->r_npasses == 0)
        return true;   /* the round trip decodes everything */
    for (size_t i = 0; i < r->r_npasses; i++) {
        const struct lz_pipeline_pass *p = &r->r_passes[i];
        if (!p->p_wants || p->p_wants(node->u.o_codeobj, depth, p->p_ctx))
            return true;
    }
    return false;
}

/* A code object left undecoded whose nested code objects changed. */
static struct lz_obj *with_consts(struct run *r, const struct lz_obj *node, struct lz_obj *consts)
{
    struct lz_obj *copy = lz_obj_copy_code(r->r_obj_arena, node);

    if (copy)
        copy->u.o_codeobj->co_consts = consts;
    return copy;
}

static int rewrite_code(struct run *r, struct lz_obj *node, unsigned depth,
                        struct lz_obj **out)
{
    struct lz_arena *work;
    struct lz_obj *consts = NULL;
    struct lz_code *c;
    int rc;

    if (depth > LZ_PIPELINE_DEPTH_MAX)
        return lz_error_set(r->r_err, LZ_EINPUT, "code objects nested deeper than %d",
                            LZ_PIPELINE_DEPTH_MAX);
    if (!node->u.o_codeobj->co_consts || node->u.o_codeobj->co_consts->o_kind != LZ_K_TUPLE)
        return lz_error_set(r->r_err, LZ_EINPUT, "code object without a consts tuple");
    LZ_TRY(rewrite_children(r, node->u.o_codeobj->co_consts, depth, &consts));
    if (!wanted(r, node, depth)) {
        *out = consts == node->u.o_codeobj->co_consts ? node : with_consts(r, node, consts);
        return *out ? LZ_OK : lz_error_set(r->r_err, LZ_ENOMEM, "out of memory rebuilding "
                                           "a code object");
    }
    work = lz_arena_new();
    if (!work)
        return lz_error_set(r->r_err, LZ_ENOMEM, "out of memory starting a code object");
    rc = lz_code_decode(r->r_ver, work, r->r_obj_arena, node, &c, r->r_err);
    if (rc == LZ_OK) {
        c->c_nesting = depth;
        c->c_share = r->r_share;
        lz_code_set_consts(c, consts);
        rc = run_passes(r, c);
    }
    if (rc == LZ_OK)
        rc = lz_code_assemble(c, out, r->r_err);
    if (rc == LZ_OK)
        count(r, c, node, *out);
    lz_arena_free(work);
    return rc;
}

int lz_pipeline_run(struct lz_pyc *pyc, const struct lz_pipeline_pass *passes, size_t npasses,
                    struct lz_pipeline_stats *stats, struct lz_error *err)
{
    struct run r = {
        .r_ver = lz_version_for(pyc->pc_ver),
        .r_obj_arena = pyc->pc_arena,
        .r_passes = passes,
        .r_npasses = npasses,
        .r_err = err,
    };
    struct lz_obj *root;
    int rc;

    if (!r.r_ver)
        return lz_error_set(err, LZ_EINPUT, "no instruction table for Python %d.%d",
                            pyc->pc_ver->pv_major, pyc->pc_ver->pv_minor);
    if (!pyc->pc_code || pyc->pc_code->o_kind != LZ_K_CODE)
        return lz_error_set(err, LZ_EINPUT, "the pyc does not hold a code object");
    r.r_share = lz_share_new();
    if (!r.r_share)
        return lz_error_set(err, LZ_ENOMEM, "out of memory starting the pipeline");
    rc = rewrite_code(&r, pyc->pc_code, 0, &root);
    lz_share_free(r.r_share);
    if (rc < 0)
        return rc;
    pyc->pc_code = root;
    if (stats) {
        stats->ps_codes += r.r_stats.ps_codes;
        stats->ps_changed += r.r_stats.ps_changed;
        stats->ps_instr_before += r.r_stats.ps_instr_before;
        stats->ps_instr_after += r.r_stats.ps_instr_after;
        stats->ps_units_before += r.r_stats.ps_units_before;
        stats->ps_units_after += r.r_stats.ps_units_after;
    }
    return LZ_OK;
}
