// The engine's Web Worker (src/app/worker.rs). It runs the page's own wasm module: the page
// sends the compiled `WebAssembly.Module` and the address of its JavaScript glue, so the engine
// is downloaded and compiled once for the page and all its workers. A worker started early
// (www/early_workers.js) is sent the glue's address first, imports it while the page compiles
// the module, and gets the module in a second message.
// Instantiating it runs the module's `main` (src/bin/app.rs), which, finding no window,
// serves the page's requests (`worker::serve`: it posts `Ready`, then answers each request).
let bindings = null;
self.onmessage = async (event) => {
  const { glue, module } = event.data;
  try {
    if (glue && !bindings) {
      bindings = import(glue);
      // Awaited once the module comes; until then a failed import is not yet an error.
      bindings.catch(() => {});
    }
    if (!module) return;
    self.onmessage = null;
    await (await bindings).default({ module_or_path: module });
  } catch (err) {
    // Not a Response the engine wrote, but one the page reads: the job ends with the reason.
    self.onmessage = null;
    self.postMessage(JSON.stringify({ Failed: `the engine could not start in the worker: ${err}` }));
  }
};
