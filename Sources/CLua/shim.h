// Lua 5.4's API for Swift. Lua's function-like macros do not import into Swift, so the
// ones MarketLab needs are re-declared here as static inline functions.
#ifndef MARKETLAB_CLUA_SHIM_H
#define MARKETLAB_CLUA_SHIM_H
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

static inline int ml_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int ml_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline void ml_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void ml_newtable(lua_State *L) { lua_newtable(L); }
static inline const char *ml_tostring(lua_State *L, int i) { return lua_tolstring(L, i, NULL); }
static inline lua_Number ml_tonumber(lua_State *L, int i, int *isnum) { return lua_tonumberx(L, i, isnum); }
static inline lua_Integer ml_tointeger(lua_State *L, int i, int *isnum) { return lua_tointegerx(L, i, isnum); }
static inline int ml_isnoneornil(lua_State *L, int i) { return lua_type(L, i) <= 0; }
static inline int ml_pcall(lua_State *L, int nargs, int nresults, int msgh) { return lua_pcall(L, nargs, nresults, msgh); }
static inline void ml_insert(lua_State *L, int i) { lua_insert(L, i); }
static inline void ml_remove(lua_State *L, int i) { lua_remove(L, i); }
static inline void ml_replace(lua_State *L, int i) { lua_replace(L, i); }
static inline void *ml_newuserdata(lua_State *L, size_t size) { return lua_newuserdatauv(L, size, 1); }
static inline int ml_getglobal(lua_State *L, const char *name) { return lua_getglobal(L, name); }
static inline int ml_loadbuffer(lua_State *L, const char *buf, size_t n, const char *name) {
    return luaL_loadbufferx(L, buf, n, name, NULL);
}
static inline void ml_pushcfunction(lua_State *L, lua_CFunction f) { lua_pushcclosure(L, f, 0); }
static inline int ml_isinteger(lua_State *L, int i) { return lua_isinteger(L, i); }

#endif
