//! The demo generated on a second thread while the caller writes it: the
//! two take about as long at 100,000 clients, and the machine the targets
//! are measured on has two cores. Clients travel in batches through a
//! bounded channel, so memory stays that of a few batches. A client the
//! writer is done with goes back to the generator's thread to be freed
//! there: glibc frees memory slowly on a thread other than the one that
//! allocated it, which took about a tenth of the writer's time at 100,000
//! clients (BENCHMARKS.md, issue 15 seventh round).

use super::{DemoSpec, clients};
use crate::db::{ClientTree, Result, StoreError};
use std::borrow::Borrow;
use std::sync::mpsc::{Receiver, Sender, channel, sync_channel};

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
    consume: impl FnOnce(&mut dyn Iterator<Item = Result<Lent>>) -> R,
) -> R {
    let (tx, rx) = sync_channel::<Vec<ClientTree>>(AHEAD);
    let (back, returned) = channel::<ClientTree>();
    std::thread::scope(|scope| {
        let producer = std::thread::Builder::new()
            .name("needlelog-demo".into())
            .spawn_scoped(scope, move || {
                let mut all = clients(spec);
                loop {
                    // Free what the writer has given back.
                    returned.try_iter().for_each(drop);
                    let batch: Vec<ClientTree> = all.by_ref().take(BATCH).collect();
                    // An empty batch: all sent. A send error: the writer
                    // has stopped.
                    if batch.is_empty() || tx.send(batch).is_err() {
                        break;
                    }
                }
                // The last few batches are freed by the writer: waiting
                // for them here would keep the writer's caller waiting.
                returned.try_iter().for_each(drop);
            });
        match producer {
            Ok(handle) => {
                let mut received = Received {
                    rx,
                    back,
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
            Err(_) => consume(&mut clients(spec).map(|tree| {
                Ok(Lent {
                    tree: Some(tree),
                    back: None,
                })
            })),
        }
    })
}

/// A generated client, lent to the writer: dropped, it goes back to the
/// generator's thread to be freed there (when that thread is still
/// running; otherwise it is freed where it is).
#[derive(Debug)]
pub struct Lent {
    tree: Option<ClientTree>,
    back: Option<Sender<ClientTree>>,
}

impl Borrow<ClientTree> for Lent {
    fn borrow(&self) -> &ClientTree {
        // Taken only in `drop`.
        self.tree
            .as_ref()
            .unwrap_or_else(|| unreachable!("a lent client is there until dropped"))
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        if let (Some(tree), Some(back)) = (self.tree.take(), &self.back) {
            // A closed channel hands the tree back, and it is freed here.
            let _ = back.send(tree);
        }
    }
}

/// The clients as they arrive, then an error if fewer came than expected.
struct Received {
    rx: Receiver<Vec<ClientTree>>,
    back: Sender<ClientTree>,
    batch: std::vec::IntoIter<ClientTree>,
    got: usize,
    expected: usize,
}

impl Iterator for Received {
    type Item = Result<Lent>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(t) = self.batch.next() {
                self.got += 1;
                return Some(Ok(Lent {
                    tree: Some(t),
                    back: Some(self.back.clone()),
                }));
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
        let streamed = with_clients(spec(n), |it| {
            it.map(|t| Borrow::<ClientTree>::borrow(&t.unwrap()).clone())
                .collect::<Vec<ClientTree>>()
        });
        assert_eq!(streamed, super::super::generate(spec(n)));
    }

    /// A client the writer drops goes back to the generator's channel;
    /// with the channel closed it is freed where it is.
    #[test]
    fn a_dropped_client_goes_back() {
        let mut two = super::super::generate(spec(2));
        let (back, returned) = channel();
        let second = two.pop().unwrap();
        let first = two.pop().unwrap();
        drop(Lent {
            tree: Some(first.clone()),
            back: Some(back.clone()),
        });
        assert_eq!(returned.try_iter().collect::<Vec<_>>(), vec![first]);
        drop(returned);
        drop(Lent {
            tree: Some(second),
            back: Some(back),
        });
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
        let (back, _returned) = channel();
        let mut r = Received {
            rx,
            back,
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
