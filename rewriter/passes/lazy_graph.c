/* lazy_graph.c - the import graph of a whole tree, and its cycles.
 *
 * Deferring an import changes the order in which modules initialise.  That
 * is harmless between modules that do not import each other, but inside an
 * import cycle the eager order is what made the cycle work: deferred, a
 * first use can run in the middle of another module of the cycle and find
 * it half initialised (sympy.polys.polyclasses -> polyutils -> domains ->
 * algebraicfield -> polyclasses: "cannot import name 'ANP' from partially
 * initialized module").  So `auto` keeps the imports between two modules of
 * one strongly connected component eager.
 *
 * Edges: a module to each target of its module-level imports and to every
 * package above the target (importing a.b.c runs a and a.b first), and a
 * module to its own packages (the parent is imported before the child).
 * Components come from Tarjan's algorithm, run iteratively (trees have
 * tens of thousands of modules).
 */
#include <stdlib.h>
#include <string.h>

#include "lazy_int.h"

struct lz_lazy_graph {
    char **g_names;          /* sorted after lz_lazy_graph_finish; malloc'd strings */
    size_t g_nnames, g_capnames;
    struct { char *from, *to; } *g_edges;   /* names; freed by finish */
    size_t g_nedges, g_capedges;
    size_t *g_comp;          /* node id -> component id */
    size_t *g_compsize;      /* component id -> number of nodes */
    bool g_finished;
};

struct lz_lazy_graph *lz_lazy_graph_new(void)
{
    struct lz_lazy_graph *g = lz_malloc(sizeof *g);

    if (g)
        memset(g, 0, sizeof *g);
    return g;
}

void lz_lazy_graph_free(struct lz_lazy_graph *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->g_nnames; i++)
        lz_free(g->g_names[i]);
    if (!g->g_finished)
        for (size_t i = 0; i < g->g_nedges; i++) {
            lz_free(g->g_edges[i].from);
            lz_free(g->g_edges[i].to);
        }
    lz_free(g->g_names);
    lz_free(g->g_edges);
    lz_free(g->g_comp);
    lz_free(g->g_compsize);
    lz_free(g);
}

static char *dup_n(const char *s, size_t n)
{
    char *p = lz_malloc(n + 1);

    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static int add_name(struct lz_lazy_graph *g, const char *s, size_t n)
{
    if (g->g_nnames == g->g_capnames) {
        size_t cap = g->g_capnames ? g->g_capnames * 2 : 256;
        char **grown = lz_realloc(g->g_names, cap * sizeof *grown);
        if (!grown)
            return -1;
        g->g_names = grown;
        g->g_capnames = cap;
    }
    if (!(g->g_names[g->g_nnames] = dup_n(s, n)))
        return -1;
    g->g_nnames++;
    return 0;
}

static int add_one(struct lz_lazy_graph *g, const char *from, const char *to, size_t tolen)
{
    if (g->g_nedges == g->g_capedges) {
        size_t cap = g->g_capedges ? g->g_capedges * 2 : 256;
        void *grown = lz_realloc(g->g_edges, cap * sizeof *g->g_edges);
        if (!grown)
            return -1;
        g->g_edges = grown;
        g->g_capedges = cap;
    }
    g->g_edges[g->g_nedges].from = dup_n(from, strlen(from));
    g->g_edges[g->g_nedges].to = dup_n(to, tolen);
    if (!g->g_edges[g->g_nedges].from || !g->g_edges[g->g_nedges].to) {
        lz_free(g->g_edges[g->g_nedges].from);
        lz_free(g->g_edges[g->g_nedges].to);
        return -1;
    }
    g->g_nedges++;
    return add_name(g, from, strlen(from)) || add_name(g, to, tolen) ? -1 : 0;
}

int lz_lazy_graph_add(struct lz_lazy_graph *g, const char *from, const char *target)
{
    /* target and every package above it */
    for (size_t n = strlen(target); n > 0;) {
        if (strncmp(from, target, n) != 0 || (from[n] != '\0' && from[n] != '.'))
            if (add_one(g, from, target, n))
                return -1;
        while (n > 0 && target[n - 1] != '.')
            n--;
        if (n > 0)
            n--;
    }
    return 0;
}

int lz_lazy_graph_add_module(struct lz_lazy_graph *g, const char *module)
{
    /* a module depends on its packages being imported first */
    const char *dot = strrchr(module, '.');

    return dot ? add_one(g, module, module, (size_t)(dot - module)) : add_name(g, module,
                                                                            strlen(module));
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static size_t id_of(const struct lz_lazy_graph *g, const char *s)
{
    char *const *p = bsearch(&s, g->g_names, g->g_nnames, sizeof *g->g_names, cmp_str);
    return p ? (size_t)(p - g->g_names) : (size_t)-1;
}

/* Edges as (from, to) id pairs, ordered by `from`. */
static int cmp_edge(const void *x, const void *y)
{
    const size_t *a = x, *b = y;
    return (a[0] > b[0]) - (a[0] < b[0]);
}

/* Tarjan's SCC, iterative.  adj/off: edges sorted by source (CSR). */
static int tarjan(struct lz_lazy_graph *g, const size_t *off, const size_t *adj)
{
    size_t n = g->g_nnames, counter = 0, ncomp = 0, sp = 0, cp = 0;
    size_t *index = lz_malloc(n * sizeof *index), *low = lz_malloc(n * sizeof *low);
    size_t *stack = lz_malloc(n * sizeof *stack), *call = lz_malloc(n * sizeof *call);
    size_t *edge = lz_malloc(n * sizeof *edge);
    bool *on = lz_malloc(n * sizeof *on);
    const size_t NONE = (size_t)-1;
    int rc = 0;

    g->g_comp = lz_malloc(n * sizeof *g->g_comp);
    g->g_compsize = lz_malloc(n * sizeof *g->g_compsize);
    if (!index || !low || !stack || !call || !edge || !on || !g->g_comp || !g->g_compsize) {
        rc = -1;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        index[i] = NONE, on[i] = false;
    for (size_t root = 0; root < n; root++) {
        if (index[root] != NONE)
            continue;
        call[cp++] = root;
        index[root] = low[root] = counter++;
        edge[root] = off[root];
        stack[sp++] = root;
        on[root] = true;
        while (cp) {
            size_t v = call[cp - 1];
            if (edge[v] < off[v + 1]) {
                size_t w = adj[edge[v]++];
                if (index[w] == NONE) {
                    index[w] = low[w] = counter++;
                    edge[w] = off[w];
                    stack[sp++] = w;
                    on[w] = true;
                    call[cp++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            cp--;
            if (cp && low[v] < low[call[cp - 1]])
                low[call[cp - 1]] = low[v];
            if (low[v] == index[v]) {
                size_t size = 0, w;
                do {
                    w = stack[--sp];
                    on[w] = false;
                    g->g_comp[w] = ncomp;
                    size++;
                } while (w != v);
                g->g_compsize[ncomp++] = size;
            }
        }
    }
out:
    lz_free(index), lz_free(low), lz_free(stack), lz_free(call), lz_free(edge), lz_free(on);
    return rc;
}

int lz_lazy_graph_finish(struct lz_lazy_graph *g)
{
    size_t n, m = g->g_nedges, k = 0;
    size_t *pairs, *off, *adj;
    int rc;

    if (g->g_nnames > 0)   /* qsort(NULL, 0, ...) is undefined */
        qsort(g->g_names, g->g_nnames, sizeof *g->g_names, cmp_str);
    for (size_t i = 0; i < g->g_nnames; i++) {          /* unique */
        if (k && strcmp(g->g_names[k - 1], g->g_names[i]) == 0)
            lz_free(g->g_names[i]);
        else
            g->g_names[k++] = g->g_names[i];
    }
    g->g_nnames = n = k;
    pairs = lz_malloc((m ? m : 1) * 2 * sizeof *pairs);
    off = lz_malloc((n + 1) * sizeof *off);
    if (off)
        memset(off, 0, (n + 1) * sizeof *off);
    adj = lz_malloc((m ? m : 1) * sizeof *adj);
    if (!pairs || !off || !adj) {
        lz_free(pairs), lz_free(off), lz_free(adj);
        return -1;
    }
    for (size_t i = 0; i < m; i++) {
        pairs[2 * i] = id_of(g, g->g_edges[i].from);
        pairs[2 * i + 1] = id_of(g, g->g_edges[i].to);
        lz_free(g->g_edges[i].from);
        lz_free(g->g_edges[i].to);
    }
    g->g_finished = true;
    qsort(pairs, m, 2 * sizeof *pairs, cmp_edge);
    for (size_t i = 0; i < m; i++)
        off[pairs[2 * i] + 1]++;
    for (size_t i = 0; i < n; i++)
        off[i + 1] += off[i];
    for (size_t i = 0; i < m; i++)
        adj[i] = pairs[2 * i + 1];
    rc = tarjan(g, off, adj);
    lz_free(pairs), lz_free(off), lz_free(adj);
    return rc;
}

bool lz_lazy_graph_cycle(const struct lz_lazy_graph *g, const char *from, const char *target)
{
    size_t a, b;

    if (!g || !g->g_comp || (a = id_of(g, from)) == (size_t)-1)
        return false;
    /* the target or any package above it in the importer's component */
    char buf[512];
    size_t n = strlen(target);
    if (n >= sizeof buf)
        return true;   /* absurd name: stay on the safe side */
    memcpy(buf, target, n + 1);
    for (;;) {
        b = id_of(g, buf);
        if (b != (size_t)-1 && b != a && g->g_comp[a] == g->g_comp[b] &&
            g->g_compsize[g->g_comp[a]] > 1)
            return true;
        char *dot = strrchr(buf, '.');
        if (!dot)
            return false;
        *dot = '\0';
    }
}
