// Loaded with `node --import ./tests/js/register.mjs --test tests/js/` (see scripts/test).
// The capture modules live in assets/island/, where Node finds neither a node_modules (for the
// bare import "idb", which the app's bundler resolves from .web/node_modules) nor a
// package.json saying they are ES modules. resolve_hooks.mjs supplies both, for tests only.
import { register } from "node:module";

register("./resolve_hooks.mjs", import.meta.url);
