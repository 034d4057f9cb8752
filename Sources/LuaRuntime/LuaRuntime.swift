// LuaRuntime — placeholder until implemented.
