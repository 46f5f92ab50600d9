// The one door between Lua and Swift. Every Lua-callable Swift function is a C closure
// around `ml_trampoline`: it calls Swift through `ml_swift_dispatch`, and only after Swift
// has returned does it raise (lua_error) when Swift reported a failure. Lua's longjmp thus
// never crosses a Swift frame.
#ifndef MARKETLAB_LUASHIM_H
#define MARKETLAB_LUASHIM_H
#include <lua.h>
#include <stddef.h>
#include <stdint.h>

/// Swift's entry point: runs function `id` on `L`; returns the number of results, or after
/// pushing the error value -1 (a message: the caller's position is prefixed) or -2 (an
/// error from a Lua callback: raised unchanged).
typedef int (*ml_dispatch_fn)(lua_State *L, lua_Integer id);
void ml_set_dispatch(ml_dispatch_fn fn);

/// Pushes a C closure that calls Swift function `id`; `nup` values on the stack become
/// upvalues 2..nup+1 (upvalue 1 holds the id).
void ml_push_swift_function(lua_State *L, lua_Integer id, int nup);

/// Pushes an `__index` metamethod: string keys found in the table on top of the stack
/// (popped; it becomes upvalue 2) return at once from C; any other key goes to Swift
/// function `id` as a normal call. A method lookup thus never enters Swift.
void ml_push_index_function(lua_State *L, lua_Integer id);

/// Creates a state whose allocator honours `limit_bytes` (0: no limit) while Lua code runs
/// and never fails while Swift is running (so no memory error longjmps through Swift).
lua_State *ml_newstate(size_t limit_bytes);
size_t ml_memory_in_use(lua_State *L);
void ml_gc_settle(lua_State *L);

/// Arms Ctrl-C handling for `L`: SIGINT sets the interrupt flag and installs a hook that
/// raises "interrupted" at the next Lua instruction.
void ml_watch_interrupts(lua_State *L);
/// Removes the hook again (after the interruption has been reported).
void ml_clear_interrupt_hook(lua_State *L);

/// Runs the function below `nargs` arguments under a message handler that appends a
/// traceback; like lua_pcall otherwise.
int ml_pcall_traceback(lua_State *L, int nargs, int nresults);

/* ---- Swift objects as userdata ----
   A box is a full userdata holding a type tag and one retained Swift reference. The tag
   identifies the type without a metatable lookup (only MarketLab's C and Swift code make
   userdata of this size with such a tag); __gc releases the reference exactly once. */
typedef struct { uint64_t tag; void *object; } ml_box;

/// Swift's release function, called from __gc (it never calls back into Lua).
void ml_set_release(void (*release)(void *object));
/// The __gc metamethod for every box.
int ml_box_gc(lua_State *L);

/// The object in the box at `index` when its tag is `tag`, else NULL.
static inline void *ml_box_get(lua_State *L, int index, uint64_t tag) {
    if (lua_type(L, index) != LUA_TUSERDATA || lua_rawlen(L, index) != sizeof(ml_box)) return NULL;
    ml_box *box = (ml_box *)lua_touserdata(L, index);
    return box->tag == tag ? box->object : NULL;
}

/// Pushes a new box holding `object` (already retained) with the metatable at registry
/// reference `metatable`.
static inline void ml_box_push(lua_State *L, uint64_t tag, void *object, int metatable) {
    ml_box *box = (ml_box *)lua_newuserdatauv(L, sizeof(ml_box), 0);
    box->tag = tag;
    box->object = object;
    lua_rawgeti(L, LUA_REGISTRYINDEX, metatable);
    lua_setmetatable(L, -2);
}

#endif
