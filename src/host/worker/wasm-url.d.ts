/** Vite's `?url` imports: the asset's URL in the bundle. */
declare module '*.wasm?url' {
  const url: string;
  export default url;
}
