/**
 * The libraries Redis 7.0 loads into its Lua VM besides Lua's own: cjson, cmsgpack, struct, bit.
 * The VM binding exposes each as a global table of functions plus `fields`.
 *
 * cjson keeps configuration per library instance; `createLuaLibraries()` gives fresh instances
 * (use it whenever the VM is created anew, e.g. SCRIPT FLUSH). `cjson.new` is left to the
 * binding: it should build another table from `createCjsonLibrary()`.
 */
import { bitLibrary } from './bit';
import { createCjsonLibrary } from './cjson';
import { cmsgpackLibrary } from './cmsgpack';
import { structLibrary } from './struct';
import type { LuaLibrary } from './values';

export { createCjsonLibrary } from './cjson';
export * from './values';

export function createLuaLibraries(): LuaLibrary[] {
  return [createCjsonLibrary(), structLibrary, cmsgpackLibrary, bitLibrary];
}

/** One shared set (cjson's configuration lives in it: prefer createLuaLibraries() per VM). */
export const LUA_LIBRARIES: LuaLibrary[] = createLuaLibraries();
