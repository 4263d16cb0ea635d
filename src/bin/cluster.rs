//! `mltest-cluster`: a Ballista scheduler and executor that know the `mltest` command's SQL
//! functions, for `mltest run --engine ballista` (PRODUCT.md §14). `make cluster` runs one of
//! each on 127.0.0.1; on a real cluster, one scheduler and an executor on every machine that
//! can read the data's files at the paths the command is given.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mltest::query::cluster::{self, Executor};

#[derive(Parser)]
#[command(name = "mltest-cluster", version, about = "A Ballista cluster for `mltest run --engine ballista`")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scheduler: executors connect to it, `mltest run --engine ballista --scheduler
    /// df://HOST:PORT` sends it the queries.
    Scheduler {
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:50050")]
        bind: SocketAddr,
    },
    /// Run an executor: it registers with the scheduler and runs the tasks it is given.
    Executor {
        /// The address to listen on for tasks; the next port serves results to other
        /// executors.
        #[arg(long, default_value = "127.0.0.1:50051")]
        bind: SocketAddr,
        /// The scheduler's address.
        #[arg(long, default_value = "127.0.0.1:50050")]
        scheduler: SocketAddr,
        /// The memory its tasks may hold together, in MB, past which sorts and groupings
        /// spill to the work directory.
        #[arg(long, value_name = "MB", default_value_t = 512)]
        memory_limit: usize,
        /// Where shuffled results and spills are written (default: a new temporary folder).
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
        /// Tasks run at once (0: one per core).
        #[arg(long, default_value_t = 0)]
        tasks: usize,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("mltest-cluster: error: cannot start the runtime: {err}");
            return ExitCode::from(2);
        }
    };
    let ran = match cli.command {
        Command::Scheduler { bind } => runtime.block_on(cluster::scheduler(bind)),
        Command::Executor { bind, scheduler, memory_limit, work_dir, tasks } => {
            let work_dir = work_dir
                .unwrap_or_else(|| std::env::temp_dir().join(format!("mltest-executor-{}", bind.port())));
            match std::fs::create_dir_all(&work_dir) {
                Ok(()) => runtime.block_on(cluster::executor(Executor {
                    bind,
                    scheduler,
                    memory_limit: memory_limit << 20,
                    work_dir,
                    tasks,
                })),
                Err(err) => Err(format!("{}: {err}", work_dir.display())),
            }
        }
    };
    match ran {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("mltest-cluster: error: {err}");
            ExitCode::from(2)
        }
    }
}
