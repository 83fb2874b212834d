//! The demo generated on a second thread while the caller writes it: the
//! two take about as long at 100,000 clients, and the machine the targets
//! are measured on has two cores. Clients travel in batches through a
//! bounded channel, so memory stays that of a few batches.

use super::{DemoSpec, clients};
use crate::db::{ClientTree, Result, StoreError};
use std::sync::mpsc::{Receiver, sync_channel};

/// Clients per message: enough to make the channel's cost negligible.
const BATCH: usize = 256;

/// Batches generated ahead of the writer at most.
const AHEAD: usize = 4;

/// Runs `consume` over the clients of `spec`, in order, generated on a
/// second thread. Should the generator stop before the last client, the
/// stream ends with an error, so that a writer undoes what it wrote rather
/// than keep part of the demo. Without a second thread (the system refuses
/// one) the clients are generated as they are read.
pub fn with_clients<R>(
    spec: DemoSpec,
    consume: impl FnOnce(&mut dyn Iterator<Item = Result<ClientTree>>) -> R,
) -> R {
    let (tx, rx) = sync_channel::<Vec<ClientTree>>(AHEAD);
    std::thread::scope(|scope| {
        let producer = std::thread::Builder::new()
            .name("needlelog-demo".into())
            .spawn_scoped(scope, move || {
                let mut all = clients(spec);
                loop {
                    let batch: Vec<ClientTree> = all.by_ref().take(BATCH).collect();
                    // An empty batch: all sent. A send error: the writer
                    // has stopped.
                    if batch.is_empty() || tx.send(batch).is_err() {
                        break;
                    }
                }
            });
        match producer {
            Ok(handle) => {
                let mut received = Received {
                    rx,
                    batch: Vec::new().into_iter(),
                    got: 0,
                    expected: spec.clients,
                };
                let out = consume(&mut received);
                // Let a generator still waiting to send see the writer gone.
                drop(received);
                // A generator that panicked has said so on standard error
                // and cut the stream short, which the writer was told.
                let _ = handle.join();
                out
            }
            Err(_) => consume(&mut clients(spec).map(Ok)),
        }
    })
}

/// The clients as they arrive, then an error if fewer came than expected.
struct Received {
    rx: Receiver<Vec<ClientTree>>,
    batch: std::vec::IntoIter<ClientTree>,
    got: usize,
    expected: usize,
}

impl Iterator for Received {
    type Item = Result<ClientTree>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(t) = self.batch.next() {
                self.got += 1;
                return Some(Ok(t));
            }
            match self.rx.recv() {
                Ok(batch) => self.batch = batch.into_iter(),
                Err(_) if self.got < self.expected => {
                    let message = format!(
                        "the demo generator stopped after {} of {} clients; nothing was added",
                        self.got, self.expected
                    );
                    // Said once; the stream ends after it.
                    self.expected = self.got;
                    return Some(Err(StoreError::Other(message)));
                }
                Err(_) => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn spec(clients: usize) -> DemoSpec {
        DemoSpec {
            clients,
            seed: 3,
            today: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
        }
    }

    /// The clients arrive complete and in the order `generate` makes them,
    /// across batch boundaries.
    #[test]
    fn the_stream_is_the_generated_list() {
        let n = BATCH * 2 + 7;
        let streamed = with_clients(spec(n), |it| it.collect::<Result<Vec<_>>>().unwrap());
        assert_eq!(streamed, super::super::generate(spec(n)));
    }

    /// A writer that stops early does not leave the generator waiting.
    #[test]
    fn a_writer_may_stop_early() {
        let first = with_clients(spec(BATCH * (AHEAD + 3)), |it| it.take(3).count());
        assert_eq!(first, 3);
    }

    #[test]
    fn a_stream_cut_short_ends_with_an_error() {
        let (tx, rx) = sync_channel(1);
        tx.send(super::super::generate(spec(2))).unwrap();
        drop(tx);
        let mut r = Received {
            rx,
            batch: Vec::new().into_iter(),
            got: 0,
            expected: 5,
        };
        assert!(r.next().unwrap().is_ok());
        assert!(r.next().unwrap().is_ok());
        let e = r.next().unwrap().unwrap_err().to_string();
        assert!(e.contains("after 2 of 5 clients"), "{e}");
        assert!(r.next().is_none());
    }
}
