/* cli_report_json.c - `--report FILE.json`: every import statement of every
 * file with its decision, written with jansson.
 *
 * {"tool": "lazyc", "version": ..., "dry_run": false,
 *  "totals": {"files": N, "imports": N, "lazy": N, "eager": {"unused": N, ...}},
 *  "files": [{"path", "module", "python", "changed", "error",
 *             "imports": [{"line", "statement", "target", "decision", "reason", "detail"}]}]}
 */
#include "cli.h"

#include <jansson.h>
#include <stdio.h>

#ifndef LAZYC_VERSION
#define LAZYC_VERSION "unknown"
#endif

static json_t *file_entry(const struct cli_report_item *it, size_t *counts)
{
    json_t *f = json_object(), *imports = json_array();

    json_object_set_new(f, "path", json_string(it->ri_path));
    json_object_set_new(f, "module", it->ri_module ? json_string(it->ri_module) : json_null());
    json_object_set_new(f, "python", it->ri_version[0] ? json_string(it->ri_version) : json_null());
    json_object_set_new(f, "changed", json_boolean(it->ri_changed));
    if (it->ri_error) {
        json_object_set_new(f, "error", json_string(it->ri_error));
    } else if (it->ri_mod->lm_already) {
        json_object_set_new(f, "already_rewritten", json_true());
    }
    for (size_t k = 0; !it->ri_error && k < it->ri_mod->lm_nstmts; k++) {
        const struct lz_lazy_stmt *s = &it->ri_mod->lm_stmts[k];
        json_t *o = json_object();
        json_object_set_new(o, "line", json_integer(s->st_line));
        json_object_set_new(o, "statement", json_string(s->st_text));
        json_object_set_new(o, "target", s->st_target[0] ? json_string(s->st_target) : json_null());
        json_object_set_new(o, "decision", json_string(s->st_why == LZ_WHY_LAZY ? "lazy" : "eager"));
        json_object_set_new(o, "reason", json_string(lz_lazy_reason_name(s->st_why)));
        json_object_set_new(o, "detail", s->st_detail[0] ? json_string(s->st_detail) : json_null());
        json_array_append_new(imports, o);
        counts[s->st_why]++;
    }
    json_object_set_new(f, "imports", imports);
    return f;
}

int cli_write_report(const char *path, const struct cli_report_item *items, size_t n,
                     bool dry_run)
{
    size_t counts[LZ_WHY_COUNT] = {0}, total = 0;
    json_t *root = json_object(), *files = json_array(), *totals = json_object();
    json_t *eager = json_object();
    int rc = 0;

    if (!root || !files || !totals || !eager) {
        fprintf(stderr, "lazyc: %s: out of memory\n", path);
        json_decref(root), json_decref(files), json_decref(totals), json_decref(eager);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        json_array_append_new(files, file_entry(&items[i], counts));
    for (int k = 0; k < LZ_WHY_COUNT; k++) {
        total += counts[k];
        if (k != LZ_WHY_LAZY)
            json_object_set_new(eager, lz_lazy_reason_name(k), json_integer((json_int_t)counts[k]));
    }
    json_object_set_new(totals, "files", json_integer((json_int_t)n));
    json_object_set_new(totals, "imports", json_integer((json_int_t)total));
    json_object_set_new(totals, "lazy", json_integer((json_int_t)counts[LZ_WHY_LAZY]));
    json_object_set_new(totals, "eager", eager);
    json_object_set_new(root, "tool", json_string("lazyc"));
    json_object_set_new(root, "version", json_string(LAZYC_VERSION));
    json_object_set_new(root, "dry_run", json_boolean(dry_run));
    json_object_set_new(root, "totals", totals);
    json_object_set_new(root, "files", files);
    if (json_dump_file(root, path, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0) {
        fprintf(stderr, "lazyc: %s: cannot write the report\n", path);
        rc = -1;
    }
    json_decref(root);
    return rc;
}
