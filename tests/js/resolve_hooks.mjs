// Module resolution hooks for the JS tests (registered by register.mjs).
const TESTS_PACKAGE = new URL("./package.json", import.meta.url).href;
const CAPTURE = new URL("../../assets/island/", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  let resolved;
  try {
    resolved = await nextResolve(specifier, context);
  } catch (error) {
    const bare = !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
    if (error?.code !== "ERR_MODULE_NOT_FOUND" || !bare) throw error;
    // A bare import from anywhere (assets/island/outbox.js → "idb"): tests/js/node_modules.
    resolved = await nextResolve(specifier, { ...context, parentURL: TESTS_PACKAGE });
  }
  // assets/island/*.js are browser ES modules with no package.json to say so.
  if (resolved.url.startsWith(CAPTURE) && resolved.url.endsWith(".js")) {
    return { ...resolved, format: "module" };
  }
  return resolved;
}
