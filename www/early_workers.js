// Starts the engine's two kept Web Workers (the runs' and the loader's) while the page is
// still parsing, before the wasm module has arrived: creating a worker needs a free moment
// of the page's thread, which the engine's instantiation and first render then hold for
// ~200 ms. Each worker fetches its script and imports the module's JavaScript glue now, and
// instantiates the engine as soon as the page posts it the compiled module
// (src/app/services/job.rs, `start_early`, which takes these workers from
// `globalThis.mltestEarlyWorkers`). A browser that cannot start them here loses nothing: the
// page starts its own.
(() => {
  const link = document.querySelector('link[rel=modulepreload]');
  if (!link || typeof Worker !== 'function') return;
  const glue = new URL(link.getAttribute('href'), location.href).href;
  const workers = {};
  for (const what of ['run', 'load']) {
    try {
      const worker = new Worker(`engine_worker.js?${what}`, { type: 'module' });
      // One that cannot load before the page takes it is dropped: the page starts its own,
      // which fails with the reason on the page.
      worker.onerror = (event) => {
        event.preventDefault();
        worker.terminate();
        if (workers[what] === worker) delete workers[what];
      };
      worker.postMessage({ glue });
      workers[what] = worker;
    } catch {
      // Left to the page.
    }
  }
  globalThis.mltestEarlyWorkers = workers;
})();
