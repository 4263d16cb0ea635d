// The engine's Web Worker (src/app/worker.rs). It runs the page's own wasm module: the page
// sends the compiled `WebAssembly.Module` and the address of its JavaScript glue as the first
// message, so the engine is downloaded and compiled once for the page and all its workers.
// Instantiating it runs the module's `main` (src/bin/app.rs), which, finding no window,
// serves the page's requests (`worker::serve`: it posts `Ready`, then answers each request).
self.onmessage = async (event) => {
  self.onmessage = null;
  try {
    const { glue, module } = event.data;
    const bindings = await import(glue);
    await bindings.default({ module_or_path: module });
  } catch (err) {
    // Not a Response the engine wrote, but one the page reads: the job ends with the reason.
    self.postMessage(JSON.stringify({ Failed: `the engine could not start in the worker: ${err}` }));
  }
};
