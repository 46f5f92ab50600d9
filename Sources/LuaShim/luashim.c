#include "luashim.h"
#include "interrupt.h"
#include <lauxlib.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

static ml_dispatch_fn swift_dispatch = 0;
void ml_set_dispatch(ml_dispatch_fn fn) { swift_dispatch = fn; }

/* Depth of Swift frames currently running: the allocator never fails while it is > 0. */
static int swift_depth = 0;

/* Pushes "source:line:" of the innermost Lua function, from stack level `level` out,
   that is the script's own: frames of MarketLab's Lua libraries (chunks named
   "=marketlab.*") and C frames are skipped, so a mistake inside model(x) points at the
   user's line, not at nn's internals. */
static void push_script_position(lua_State *L, int level) {
    lua_Debug ar;
    for (; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar)) break;
        if (ar.currentline <= 0) continue;
        if (strncmp(ar.source, "=marketlab.", 11) == 0) continue;
        lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
        return;
    }
    lua_pushliteral(L, "");
}

/* Tensor storage Lua cannot see: after this many bytes a generational (minor) step, and
   after eight times as many a full collection, so dead tensors are freed at the pace
   they are made. */
#define ML_GC_STEP_BYTES ((size_t)32 << 20)
static size_t bytes_since_full = 0;

static void collect_for_storage(lua_State *L) {
    size_t pending = ml_storage_bytes_since_gc;
    if (pending < ML_GC_STEP_BYTES) return;
    ml_storage_bytes_since_gc = 0;
    bytes_since_full += pending;
    if (bytes_since_full >= 8 * ML_GC_STEP_BYTES) {
        bytes_since_full = 0;
        lua_gc(L, LUA_GCCOLLECT, 0);
    } else {
        lua_gc(L, LUA_GCSTEP, 0);
    }
}

static int call_swift(lua_State *L, lua_Integer id) {
    swift_depth++;
    int n = swift_dispatch(L, id);
    swift_depth--;
    if (n >= 0) collect_for_storage(L);
    if (n == -1 && lua_type(L, -1) == LUA_TSTRING) {
        push_script_position(L, 1);       /* prefix the script's file:line */
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    if (n < 0) return lua_error(L);   /* error value is on top; Swift has returned */
    return n;
}

static int ml_trampoline(lua_State *L) {
    return call_swift(L, lua_tointegerx(L, lua_upvalueindex(1), NULL));
}

static int ml_index_trampoline(lua_State *L) {
    if (lua_type(L, 2) == LUA_TSTRING) {
        lua_pushvalue(L, 2);
        if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) return 1;
        lua_pop(L, 1);
    }
    return call_swift(L, lua_tointegerx(L, lua_upvalueindex(1), NULL));
}

void ml_push_index_function(lua_State *L, lua_Integer id) {
    lua_pushinteger(L, id);
    lua_insert(L, -2);
    lua_pushcclosure(L, ml_index_trampoline, 2);
}

void ml_push_swift_function(lua_State *L, lua_Integer id, int nup) {
    lua_pushinteger(L, id);
    if (nup > 0) lua_insert(L, -(nup + 1));   /* id below the other upvalues */
    lua_pushcclosure(L, ml_trampoline, nup + 1);
}

typedef struct { size_t used; size_t limit; } alloc_state;

static void *ml_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    alloc_state *st = (alloc_state *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        st->used -= old;
        return NULL;
    }
    if (st->limit && swift_depth == 0 && nsize > old && st->used - old + nsize > st->limit)
        return NULL;   /* Lua raises "not enough memory" from its own C frames */
    void *p = realloc(ptr, nsize);
    if (p) st->used = st->used - old + nsize;
    return p;
}

/* Large tensors are allocated and freed at every training step. By default glibc maps
   each one afresh, and the kernel zero-fills its pages on first touch; keeping blocks up
   to 256 MiB in the heap lets the next step reuse them (as PyTorch's caching allocator
   does). Process-wide, set once with the first state. */
static void keep_large_buffers_in_heap(void) {
    static int done = 0;
    if (done) return;
    done = 1;
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
}

lua_State *ml_newstate(size_t limit_bytes) {
    keep_large_buffers_in_heap();
    alloc_state *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    st->limit = limit_bytes;
    lua_State *L = lua_newstate(ml_alloc, st);
    if (!L) { free(st); return NULL; }
    /* Tensors are short-lived userdata with finalizers: the generational collector
       frees them young and measured 2.5x faster per small op than the incremental one. */
    lua_gc(L, LUA_GCGEN, 0, 0);
    return L;
}

/* A major collection in generational mode waits until the heap has grown this many
   percent over its size after the last one (Lua's default is 100). Dead tensors are
   userdata with finalizers, which a collection only resurrects to finalize, so a major
   collection frees little of the growth; Lua then judges it "bad" and falls back to a
   full collection at every step, where each small op costs several times more. Rare
   majors keep the young collections, which free those tensors, doing the work. */
#define ML_GC_MAJOR_MUL 1000

/* After the libraries are loaded: one full collection that leaves their functions,
   tables and docs in the old generation, so minor collections skip them. Without it the
   collector, which starts generational on an empty state, fell back to full collections
   during the script (measured: `a + b` in a loop slowed from 0.3 to 2.2 us per op over
   its first million iterations); switching to incremental and back enters generational
   mode afresh. */
void ml_gc_settle(lua_State *L) {
    lua_gc(L, LUA_GCINC, 0, 0, 0);
    lua_gc(L, LUA_GCGEN, 0, ML_GC_MAJOR_MUL);
}

size_t ml_memory_in_use(lua_State *L) {
    void *ud;
    lua_getallocf(L, &ud);
    return ((alloc_state *)ud)->used;
}

/* ---- Ctrl-C ---- */
static lua_State *watched = 0;

static void interrupt_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    if (ml_interrupt_pending()) {
        ml_interrupt_clear();
        /* The hook may run as a C function is called (matmul in a loop): the position is
           the script's line that is running, whatever the innermost frame. */
        push_script_position(L, 0);
        lua_pushliteral(L, "interrupted");
        lua_concat(L, 2);
        lua_error(L);
    }
}

static void on_interrupt(void) {
    /* Same approach as lua.c: setting a hook is safe from a signal handler. */
    if (watched)
        lua_sethook(watched, interrupt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

void ml_watch_interrupts(lua_State *L) {
    watched = L;
    ml_interrupt_install(on_interrupt);
}

void ml_clear_interrupt_hook(lua_State *L) { lua_sethook(L, NULL, 0, 0); }

static int traceback_handler(lua_State *L) {
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

int ml_pcall_traceback(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, traceback_handler);
    lua_insert(L, base);
    int status = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    return status;
}

/* ---- boxes ---- */
static void (*release_object)(void *) = 0;
void ml_set_release(void (*release)(void *object)) { release_object = release; }

int ml_box_gc(lua_State *L) {
    if (lua_type(L, 1) != LUA_TUSERDATA || lua_rawlen(L, 1) != sizeof(ml_box)) return 0;
    ml_box *box = (ml_box *)lua_touserdata(L, 1);
    void *object = box->object;
    box->object = NULL;               /* released exactly once, even if resurrected */
    if (object && release_object) release_object(object);
    return 0;
}
