// The Lua 5.4 C API as Swift sees it.
//
// Two kinds of code live here and nothing else:
// 1. `clua_` wrappers for the C API macros Swift cannot import (one line each).
// 2. The C functions Lua itself must call so that no `longjmp` ever crosses a Swift frame: the
//    host-function trampoline, the message handler of protected calls, the interrupt hook, and
//    the `pcall`/`xpcall`/`coroutine.resume` that let an unwinding run through. Each one raises
//    with `lua_error` from C, never from Swift.
#ifndef CLUA_SHIM_H
#define CLUA_SHIM_H

#include <string.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

// MARK: - Macro wrappers

static inline int clua_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int clua_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline void clua_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void clua_newtable(lua_State *L) { lua_newtable(L); }
static inline void clua_insert(lua_State *L, int index) { lua_insert(L, index); }
static inline void clua_remove(lua_State *L, int index) { lua_remove(L, index); }
static inline void clua_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); }
static inline void clua_pushcfunction(lua_State *L, lua_CFunction f) { lua_pushcfunction(L, f); }
static inline int clua_isnoneornil(lua_State *L, int index) { return lua_isnoneornil(L, index); }
static inline const char *clua_tolstring(lua_State *L, int index, size_t *length) {
    return lua_tolstring(L, index, length);
}
static inline int clua_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}
/// Text chunks only: a binary chunk can crash the interpreter, so it is never accepted.
static inline int clua_loadtext(lua_State *L, const char *buffer, size_t size, const char *chunkname) {
    return luaL_loadbufferx(L, buffer, size, chunkname, "t");
}

// MARK: - Unwinding (a host function ending the run)

// A host function may end the whole run (the script's `os.exit`). The run then unwinds: the error
// raised is Lua's own memory error, the one error for which Lua calls no message handler, so an
// `xpcall` handler does not run for it; and once the state is unwinding, the `pcall`, `xpcall`
// and `coroutine.resume` below raise it again instead of returning false. Apart from that they
// are Lua's own functions: no Lua frame is added, tracebacks and stack levels stay as in stock
// Lua. The flag lives next to the interrupt flag (see "Interruption"): the same heap memory,
// reached from every coroutine through the state's extra space, read without allocating.

/// The flags the state (or coroutine) `L` reports to: [0] interrupt, [1] unwinding; NULL before
/// `clua_interrupt_install`.
static inline int *clua_interrupt_flag(lua_State *L) { return *(int **)lua_getextraspace(L); }

static inline int clua_is_unwinding(lua_State *L) {
    int *flags = clua_interrupt_flag(L);
    return flags != NULL && __atomic_load_n(&flags[1], __ATOMIC_SEQ_CST) != 0;
}
static inline void clua_unwinding_begin(lua_State *L) {
    int *flags = clua_interrupt_flag(L);
    if (flags != NULL) __atomic_store_n(&flags[1], 1, __ATOMIC_SEQ_CST);
}

/// Whether `L` is running a finalizer (`__gc`) at some level of its stack: the collector
/// swallows an error raised there, and the code it interrupted goes on.
static inline int clua_in_finalizer(lua_State *L) {
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "n", &ar) && ar.namewhat != NULL && ar.name != NULL
            && strcmp(ar.namewhat, "metamethod") == 0 && strcmp(ar.name, "__gc") == 0) return 1;
    }
    return 0;
}

/// Raises the unwinding error: `lua_error` with Lua's memory-error message raises a memory
/// error (`LUA_ERRMEM`), which skips every message handler.
static inline int clua_raise_unwind(lua_State *L) {
    lua_pushliteral(L, "not enough memory");
    return lua_error(L);
}

/// After a protected call that failed: raises again when unwinding, else returns false and the
/// error object, as `pcall` does.
static inline int clua_protected_failure(lua_State *L) {
    if (clua_is_unwinding(L)) return clua_raise_unwind(L);
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);
    return 2;
}

/// Continuation of `pcall` and `xpcall` (also run directly when the call did not yield): the
/// results sit above `base` stack slots, under a `true` pushed before the call.
static inline int clua_finish_protected_call(lua_State *L, int status, lua_KContext base) {
    if (status != LUA_OK && status != LUA_YIELD) return clua_protected_failure(L);
    return lua_gettop(L) - (int)base;
}

/// `pcall(f, ...)`.
static inline int clua_guarded_pcall(lua_State *L) {
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);  // true, f, ...
    int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, clua_finish_protected_call);
    return clua_finish_protected_call(L, status, 0);
}

/// `xpcall(f, handler, ...)`: the script's handler itself is the message handler.
static inline int clua_guarded_xpcall(lua_State *L) {
    int count = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);  // f, handler, true, f, ...
    int status = lua_pcallk(L, count - 2, LUA_MULTRET, 2, 2, clua_finish_protected_call);
    return clua_finish_protected_call(L, status, 2);
}

/// `coroutine.resume(co, ...)`.
static inline int clua_guarded_resume(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTHREAD);
    lua_State *co = lua_tothread(L, 1);
    int count = lua_gettop(L) - 1;
    if (!lua_checkstack(co, count)) {
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "too many arguments to resume");
        return 2;
    }
    lua_xmove(L, co, count);
    int results = 0;
    int status = lua_resume(co, L, count, &results);
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_xmove(co, L, 1);  // the error object
        return clua_protected_failure(L);
    }
    if (!lua_checkstack(L, results + 1)) {
        lua_pop(co, results);
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "too many results to resume");
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_xmove(co, L, results);
    return results + 1;
}

/// Replaces the global `pcall`, `xpcall` and `coroutine.resume` (the standard libraries open).
static inline void clua_install_guarded_calls(lua_State *L) {
    lua_pushcfunction(L, clua_guarded_pcall);
    lua_setglobal(L, "pcall");
    lua_pushcfunction(L, clua_guarded_xpcall);
    lua_setglobal(L, "xpcall");
    if (lua_getglobal(L, "coroutine") == LUA_TTABLE) {
        lua_pushcfunction(L, clua_guarded_resume);
        lua_setfield(L, -2, "resume");
    }
    lua_pop(L, 1);
}

// MARK: - Host functions (the error trampoline)

/// A host function implemented in Swift. It never raises: it returns the number of results it
/// pushed, -1 after pushing an error message (a string) on top of the stack, or
/// `CLUA_HOST_UNWIND` to end the whole run (see "Unwinding").
typedef int (*clua_HostFunction)(lua_State *L, void *context);
#define CLUA_HOST_UNWIND (-2)

/// What a host function's closure holds (its only upvalue): a full userdata with a named
/// metatable, so that a script swapping it with `debug.setupvalue` gets an error, not a crash.
typedef struct {
    clua_HostFunction body;
    void *context;
} clua_HostFunctionSlot;

#define CLUA_HOSTFUNCTION_METATABLE "LuaRuntime.HostFunction"

/// The C function Lua calls for every host function. On failure it prefixes the message with
/// the caller's `file:line:` (as `luaL_error` does) and raises here, in C, after the Swift
/// frames have returned.
static inline void clua_interrupt_hook(lua_State *L, lua_Debug *ar);

static inline int clua_trampoline(lua_State *L) {
    clua_HostFunctionSlot *slot =
        (clua_HostFunctionSlot *)luaL_testudata(L, lua_upvalueindex(1), CLUA_HOSTFUNCTION_METATABLE);
    if (slot == NULL) return luaL_error(L, "host function upvalue was replaced");
    int results = slot->body(L, slot->context);
    if (results == CLUA_HOST_UNWIND) {
        clua_unwinding_begin(L);
        // In a finalizer the collector swallows the error: the interrupt hook (requested with the
        // unwind) then stops the interrupted code at its next instruction rather than up to
        // `count` instructions later.
        if (clua_in_finalizer(L)) lua_sethook(L, clua_interrupt_hook, LUA_MASKCOUNT, 1);
    }
    if (results < 0 && clua_is_unwinding(L)) return clua_raise_unwind(L);
    if (results < 0) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
        return lua_error(L);
    }
    return results;
}

/// Pushes a Lua function that calls `body(L, context)` through the trampoline.
static inline void clua_pushhostfunction(lua_State *L, clua_HostFunction body, void *context) {
    clua_HostFunctionSlot *slot = (clua_HostFunctionSlot *)lua_newuserdatauv(L, sizeof *slot, 0);
    slot->body = body;
    slot->context = context;
    luaL_newmetatable(L, CLUA_HOSTFUNCTION_METATABLE);  // `__name` gives it a readable tostring
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, clua_trampoline, 1);
}

// MARK: - Protected calls (the message handler)

/// Registry field where the message handler leaves the traceback of the last error.
#define CLUA_TRACEBACK_KEY "LuaRuntime.traceback"

/// Message handler for `lua_pcall`: turns the error object into a message string (using
/// `__tostring` when there is one, as the `lua` program does), stores `luaL_traceback` of the
/// failing stack in the registry and returns the message. Built on the C API rather than the
/// global `debug.traceback`, which a script could replace.
static inline int clua_message_handler(lua_State *L) {
    const char *message = lua_tostring(L, 1);
    if (message == NULL) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            message = lua_tostring(L, -1);
        else
            message = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, NULL, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, CLUA_TRACEBACK_KEY);
    lua_pushstring(L, message);
    return 1;
}

// MARK: - Interruption

// An interrupt flag is an `int` owned by the host: 0 = none, 1 = requested, 2 = delivered (the
// hook raised at least once); the `int` after it is the unwinding flag. They are only touched
// through atomic builtins, so requesting an interrupt is safe from any thread and from a signal
// handler. The state's extra space holds a pointer to the flags; Lua copies it into every
// coroutine, as it copies the hook. Once the run is unwinding, the hook raises the unwinding
// error rather than "interrupted".

#define CLUA_INTERRUPT_NONE 0
#define CLUA_INTERRUPT_REQUESTED 1
#define CLUA_INTERRUPT_DELIVERED 2

static inline void clua_interrupt_request(int *flag) {
    int expected = CLUA_INTERRUPT_NONE;
    __atomic_compare_exchange_n(flag, &expected, CLUA_INTERRUPT_REQUESTED, 0,
                                __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
static inline int clua_interrupt_state(int *flag) { return __atomic_load_n(flag, __ATOMIC_SEQ_CST); }
/// Clears the interrupt and the unwinding flag.
static inline void clua_interrupt_clear(int *flag) {
    __atomic_store_n(flag, CLUA_INTERRUPT_NONE, __ATOMIC_SEQ_CST);
    __atomic_store_n(&flag[1], 0, __ATOMIC_SEQ_CST);
}

/// Count hook: when an interrupt was requested, raises "file:line: interrupted" from the
/// running Lua function. It then runs at every instruction of this coroutine, so the first
/// instruction after a script's `pcall` that caught the error raises again: the interrupt
/// cannot be swallowed. `clua_interrupt_install` restores the normal interval.
static inline void clua_interrupt_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    int *flag = clua_interrupt_flag(L);
    if (flag == NULL || clua_interrupt_state(flag) == CLUA_INTERRUPT_NONE) return;
    __atomic_store_n(flag, CLUA_INTERRUPT_DELIVERED, __ATOMIC_SEQ_CST);
    lua_sethook(L, clua_interrupt_hook, LUA_MASKCOUNT, 1);
    if (clua_is_unwinding(L)) clua_raise_unwind(L);
    luaL_where(L, 0);
    lua_pushliteral(L, "interrupted");
    lua_concat(L, 2);
    lua_error(L);
}

/// Points the state (and the coroutines it will create) at `flag` and installs the hook, which
/// runs every `count` instructions.
static inline void clua_interrupt_install(lua_State *L, int *flag, int count) {
    *(int **)lua_getextraspace(L) = flag;
    lua_sethook(L, clua_interrupt_hook, LUA_MASKCOUNT, count);
}

#endif
