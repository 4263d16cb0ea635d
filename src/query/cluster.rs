//! Ballista (PRODUCT.md §14): the same queries on a cluster. A [`Session`](super::Session)
//! whose [`Runner`](super::Runner) is a scheduler sends each plan there; the scheduler cuts
//! it into stages and its executors run them where the files are, in their own memory pools.
//!
//! A plan names this program's SQL functions (`functions::all`) and nothing else of it, so
//! every process that decodes a plan must know them by name: the client, the scheduler
//! ([`scheduler`]) and each executor ([`executor`]). `mltest-cluster` runs the last two;
//! Ballista's own binaries would refuse the plans.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ballista::prelude::{SessionConfigExt, SessionContextExt};
use ballista_core::registry::BallistaFunctionRegistry;
use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use ballista_scheduler::SessionBuilder;
use datafusion::execution::session_state::{SessionState, SessionStateBuilder};
use datafusion::execution::FunctionRegistry;
use datafusion::prelude::{SessionConfig, SessionContext};

use super::functions;

/// The scheduler's port when none is named, Ballista's.
pub const SCHEDULER_PORT: u16 = 50050;

/// How long a session waits for the cluster to run a one-row query ([`ready`]) before it
/// says that no executor takes its work. An executor registers within a second of starting;
/// a cluster busy with other jobs may keep it queued a while.
pub const EXECUTOR_WAIT: Duration = Duration::from_secs(60);

/// A context whose queries run on the cluster whose scheduler is at `scheduler`
/// (`df://host:port`), configured as `config` says.
pub(super) async fn connect(scheduler: &str, config: SessionConfig) -> Result<SessionContext, String> {
    let url = if scheduler.contains("://") { scheduler.to_owned() } else { format!("df://{scheduler}") };
    // The client connects on its first query, whose error would quote the query: asked
    // first, so a scheduler that is not there is said plainly.
    reachable(&url).map_err(|err| {
        format!(
            "--scheduler {scheduler}: cannot reach the Ballista scheduler ({err}); `make cluster` starts one on 127.0.0.1:{SCHEDULER_PORT}"
        )
    })?;
    // Ballista's settings first (it turns off what its stages cannot carry), ours kept.
    let config = config.upgrade_for_ballista();
    let state = SessionStateBuilder::new().with_config(config).with_default_features().build();
    let ctx = SessionContext::remote_with_state(&url, state)
        .await
        .map_err(|err| format!("--scheduler {scheduler}: cannot reach the Ballista scheduler: {err}"))?;
    // Ballista's client state replaces the scalar functions it was given with its own list:
    // ours are registered on the context it returns.
    functions::register(&ctx);
    Ok(ctx)
}

/// Whether the cluster behind `ctx` runs work: a one-row query, answered within `wait`.
/// Ballista's scheduler queues a job while no executor is registered, and its client waits
/// for the job without end, so a cluster without executors (or whose only executor could not
/// start) would hold the run forever; asked first, it is named instead.
/// A scheduler whose cluster answered once is not asked again by this process (a run opens
/// a session for its data and one for a reference).
pub(super) async fn ready(ctx: &SessionContext, scheduler: &str, wait: Duration) -> Result<(), String> {
    static ANSWERED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let answered = || ANSWERED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if answered().iter().any(|known| known == scheduler) {
        return Ok(());
    }
    let asked = async { ctx.sql("SELECT 1").await?.collect().await };
    match tokio::time::timeout(wait, asked).await {
        Ok(Ok(_)) => {
            answered().push(scheduler.to_owned());
            Ok(())
        }
        Ok(Err(err)) => Err(format!("--scheduler {scheduler}: the cluster could not run a one-row query: {err}")),
        Err(_) => Err(format!(
            "--scheduler {scheduler}: no executor ran a one-row query within {} s: the scheduler has no executor \
             registered, or all of them are busy; `mltest-cluster executor --scheduler HOST:PORT` starts one",
            wait.as_secs()
        )),
    }
}

/// Whether something listens at the `df://HOST:PORT` of `url` (port 50050 when none).
fn reachable(url: &str) -> Result<(), String> {
    use std::net::ToSocketAddrs;
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest).trim_end_matches('/');
    let address = if rest.rsplit_once(':').is_some_and(|(_, port)| port.parse::<u16>().is_ok()) {
        rest.to_owned()
    } else {
        format!("{rest}:{SCHEDULER_PORT}")
    };
    let addresses = address.to_socket_addrs().map_err(|err| format!("{address}: {err}"))?;
    let mut last = format!("{address}: no address");
    for address in addresses {
        match std::net::TcpStream::connect_timeout(&address, std::time::Duration::from_secs(5)) {
            Ok(_) => return Ok(()),
            Err(err) => last = err.to_string(),
        }
    }
    Err(last)
}

/// Ballista's session state for `config` (its functions and optimiser rules), with this
/// program's functions.
fn state_with_functions(config: SessionConfig) -> datafusion::error::Result<SessionState> {
    let mut state = ballista_core::utils::default_session_builder(config)?;
    for udf in functions::all() {
        state.register_udf(Arc::new(udf))?;
    }
    for udaf in functions::aggregates() {
        state.register_udaf(Arc::new(udaf))?;
    }
    Ok(state)
}

/// Runs a scheduler on `bind` until the process is stopped. Its executors connect to it, and
/// clients (`--engine ballista --scheduler df://HOST:PORT`) send it their plans.
pub async fn scheduler(bind: SocketAddr) -> Result<(), String> {
    let builder: SessionBuilder = Arc::new(state_with_functions);
    let config = SchedulerConfig {
        bind_host: bind.ip().to_string(),
        bind_port: bind.port(),
        external_host: bind.ip().to_string(),
        ..Default::default()
    }
    .with_override_session_builder(builder);
    let failed = |err: ballista_core::error::BallistaError| format!("scheduler on {bind}: {err}");
    let cluster = BallistaCluster::new_from_config(&config).await.map_err(failed)?;
    start_server(cluster, bind, Arc::new(config)).await.map_err(failed)
}

/// What an executor is told: where it listens, its scheduler, its memory and its disk.
#[derive(Debug, Clone)]
pub struct Executor {
    /// The address it listens on for the scheduler's tasks; the port after it serves the
    /// results other executors fetch (Arrow Flight).
    pub bind: SocketAddr,
    pub scheduler: SocketAddr,
    /// The bytes its tasks' plans may hold together before sorts and groupings spill.
    pub memory_limit: usize,
    /// Where it keeps shuffled results and spills.
    pub work_dir: PathBuf,
    /// Tasks it runs at once (0: one per core).
    pub tasks: usize,
}

/// The second port of an executor that listens on `bind`: the port after it.
pub fn second_address(bind: SocketAddr) -> SocketAddr {
    SocketAddr::new(bind.ip(), bind.port() + 1)
}

/// Runs an executor until the process is stopped: it registers with its scheduler and runs
/// the tasks it is given, with this program's SQL functions.
pub async fn executor(executor: Executor) -> Result<(), String> {
    let state = state_with_functions(SessionConfig::new_with_ballista()).map_err(|err| err.to_string())?;
    let config = ExecutorProcessConfig {
        bind_host: executor.bind.ip().to_string(),
        external_host: Some(executor.bind.ip().to_string()),
        port: executor.bind.port(),
        grpc_port: second_address(executor.bind).port(),
        scheduler_host: executor.scheduler.ip().to_string(),
        scheduler_port: executor.scheduler.port(),
        // A scheduler started a moment before may not listen yet.
        scheduler_connect_timeout_seconds: 30,
        vcores: executor.tasks,
        work_dir: Some(executor.work_dir.display().to_string()),
        memory_pool_size: Some(executor.memory_limit as u64),
        override_function_registry: Some(Arc::new(BallistaFunctionRegistry::from(&state))),
        ..Default::default()
    };
    let bind = executor.bind;
    start_executor_process(Arc::new(config)).await.map_err(|err| format!("executor on {bind}: {err}"))
}

/// A scheduler and an executor in this process, on free ports of 127.0.0.1, running until
/// the process ends, with the executor's work in `work_dir`: what the tests run the parity
/// suite through, the processes of `make cluster` without the processes. Returns the
/// scheduler's address once it and both of the executor's ports answer. A port free when
/// chosen may be taken before it is bound (a connection's own port): then new ports are
/// chosen, three times at most.
pub fn start_local(memory_limit: usize, work_dir: PathBuf) -> Result<String, String> {
    let mut failed = String::new();
    'start: for _ in 0..3 {
        let [scheduler, bind] = free_addresses([1, 2])?;
        let executor = Executor { bind, scheduler, memory_limit, work_dir: work_dir.clone(), tasks: 2 };
        let (ended, end) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("mltest-local-cluster".into())
            .spawn(move || {
                let ran = tokio::runtime::Builder::new_multi_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| e.to_string());
                // Either one ending ends both: each runs until stopped.
                let ran = ran.and_then(|runtime| {
                    runtime.block_on(async move {
                        tokio::select! {
                            ran = self::scheduler(scheduler) => ran,
                            ran = self::executor(executor) => ran,
                        }
                    })
                });
                let _ = ended.send(ran.err().unwrap_or_else(|| "the local cluster stopped".to_owned()));
            })
            .map_err(|err| format!("cannot start a local cluster: {err}"))?;
        let results = second_address(bind);
        for _ in 0..200 {
            if let Ok(err) = end.try_recv() {
                failed = err;
                continue 'start;
            }
            if [scheduler, bind, results].iter().all(|address| std::net::TcpStream::connect(address).is_ok())
            {
                return Ok(format!("df://{scheduler}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        return Err(format!("the local cluster on {scheduler} and {bind} did not answer within 10 s"));
    }
    Err(format!("the local cluster did not start: {failed}"))
}

/// Ports of 127.0.0.1 free now, one run of `spans[i]` consecutive ports for each `i`, no two
/// runs sharing a port: all are held until all are found, since a port asked for on its own
/// may be the one just released, or the one after a run (an executor's second port).
pub fn free_addresses<const N: usize>(spans: [u16; N]) -> Result<[SocketAddr; N], String> {
    let mut held = Vec::new();
    let mut found = [SocketAddr::from(([127, 0, 0, 1], 0)); N];
    for (slot, span) in found.iter_mut().zip(spans) {
        *slot = 'tries: {
            for _ in 0..50 {
                let first = std::net::TcpListener::bind("127.0.0.1:0").map_err(|err| err.to_string())?;
                let address = first.local_addr().map_err(|err| err.to_string())?;
                let rest: Result<Vec<_>, _> = (1..span)
                    .map(|i| match address.port().checked_add(i) {
                        Some(port) => std::net::TcpListener::bind(SocketAddr::new(address.ip(), port)),
                        None => Err(std::io::ErrorKind::AddrNotAvailable.into()),
                    })
                    .collect();
                // A run whose next ports are taken keeps its first port held: the next try
                // is another port.
                held.push(first);
                if let Ok(rest) = rest {
                    held.extend(rest);
                    break 'tries address;
                }
            }
            return Err("no free port on 127.0.0.1".to_owned());
        };
    }
    Ok(found)
}
