//! Waiting out another needlelog that holds the database: bounded retries
//! with growing, jittered pauses.

use std::time::{Duration, Instant};

/// How long a write or an open keeps trying while another needlelog holds
/// the database, on top of each attempt's own busy timeout.
pub const RETRY_FOR: Duration = Duration::from_secs(30);

const FIRST_PAUSE: Duration = Duration::from_millis(5);
const LONGEST_PAUSE: Duration = Duration::from_millis(500);

/// Pauses between attempts on a busy database: doubling, with jitter so
/// that two waiting processes do not retry in lock step, until
/// [`RETRY_FOR`] has passed since the first attempt.
pub(super) struct Backoff {
    started: Instant,
    pause: Duration,
}

impl Backoff {
    pub(super) fn new() -> Self {
        Self {
            started: Instant::now(),
            pause: FIRST_PAUSE,
        }
    }

    /// Sleeps before the next attempt; false (at once) when time is up.
    pub(super) fn wait(&mut self) -> bool {
        let left = RETRY_FOR.saturating_sub(self.started.elapsed());
        if left.is_zero() {
            return false;
        }
        let pause = (self.pause + jitter(self.pause)).min(left);
        std::thread::sleep(pause);
        self.pause = (self.pause * 2).min(LONGEST_PAUSE);
        true
    }
}

/// Up to `max` more, varying between processes and calls. No cryptographic
/// quality needed: the clock's nanoseconds mixed with the process id.
fn jitter(max: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mixed = u64::from(nanos ^ std::process::id().rotate_left(16))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        >> 32;
    let max_ms = max.as_millis().max(1) as u64;
    Duration::from_millis(mixed % (max_ms + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_the_pause() {
        for _ in 0..100 {
            assert!(jitter(Duration::from_millis(40)) <= Duration::from_millis(40));
        }
    }

    #[test]
    fn gives_up_once_the_time_is_spent() {
        let mut b = Backoff {
            started: Instant::now() - RETRY_FOR,
            pause: FIRST_PAUSE,
        };
        let t = Instant::now();
        assert!(!b.wait());
        assert!(t.elapsed() < Duration::from_millis(50));
    }
}
