//! The accept loop under `samestory serve`: hyper's HTTP/1 connections with timeouts, a limit on
//! open connections, and a graceful stop.
//!
//! - A connection that sends no complete request head within `--header-timeout-secs` is closed:
//!   slow headers, a silent connection, and a keep-alive connection idle between requests (hyper
//!   starts the timer whenever it waits for a head).
//! - At most `--max-connections` are open at once. When the limit is reached a line says so on
//!   stderr, and the loop stops accepting until one closes: the rest wait in the kernel's backlog
//!   instead of taking file descriptors (1,100 silent connections under `ulimit -n 1024` once made
//!   the server unreachable). The timeouts make every slot come back.
//! - The body of a write must arrive within `--body-timeout-secs` (see `read_body_in_time` in the
//!   parent module).
//! - On Ctrl-C or SIGTERM: no new connection; every open one finishes its request and closes.

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

/// The limits of the connections.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub header_timeout: Duration,
}

/// Serves `app` on `listener` until `stop` resolves, then waits for open connections to finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    stop: impl std::future::Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (stopping_tx, stopping) = watch::channel(false);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let accepting = async {
        let mut full = false;
        loop {
            let slot = match slots.clone().try_acquire_owned() {
                Ok(slot) => {
                    full = false;
                    slot
                }
                Err(_) => {
                    if !full {
                        eprintln!(
                            "samestory serve: {} connections open, the limit (--max-connections); new connections wait until one closes",
                            limits.max_connections
                        );
                        full = true;
                    }
                    slots
                        .clone()
                        .acquire_owned()
                        .await
                        .expect("the semaphore is never closed")
                }
            };
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, say: the connection stays in the backlog; try
                    // again shortly rather than spin.
                    eprintln!("samestory serve: cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let conn = builder
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
            let mut stopping = stopping.clone();
            tokio::spawn(async move {
                let _slot = slot;
                tokio::pin!(conn);
                tokio::select! {
                    _ = conn.as_mut() => {}
                    _ = stopping.changed() => {
                        conn.as_mut().graceful_shutdown();
                        let _ = conn.await;
                    }
                }
            });
        }
    };
    tokio::select! {
        () = accepting => {}
        () = stop => {}
    }
    let _ = stopping_tx.send(true);
    // Every slot back: every connection closed.
    let _ = slots.acquire_many(limits.max_connections as u32).await;
}
