/**
 * The Lua libraries Redis loads besides Lua's own (cjson, cmsgpack, struct, bit), written in
 * TypeScript under lib/. They become globals of the scripting VM; cjson.new() makes another cjson
 * table with its own configuration, as lua-cjson does.
 */
import type { LuaVM } from './vm';
import { createLuaLibraries, createCjsonLibrary } from './lib/index';

/** Set the library globals on a fresh VM (fresh cjson configuration per VM). */
export function installScriptLibraries(vm: LuaVM, L: number): void {
  for (const lib of createLuaLibraries()) {
    vm.pushLibrary(L, lib);
    if (lib.name === 'cjson') addCjsonNew(vm, L);
    vm.setGlobal(L, lib.name);
  }
}

/** cjson.new on the cjson table on top of the stack. */
function addCjsonNew(vm: LuaVM, L: number): void {
  vm.pushFunction(L, (L2) => {
    vm.pushLibrary(L2, createCjsonLibrary());
    addCjsonNew(vm, L2);
    return 1;
  });
  vm.rawSetField(L, -2, 'new');
}
