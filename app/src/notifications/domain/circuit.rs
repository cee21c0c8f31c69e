//! A circuit breaker per provider: after `threshold` failures in a row the provider is left
//! alone for `cool_off` (open); then one message is let through (half-open) — its success
//! closes the circuit, its failure opens it again. Messages are not lost while it is open:
//! they wait in the queue. Time is passed in, so the rule is tested without sleeping.

use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CircuitState {
    Closed {
        failures: u32,
    },
    Open {
        until: Instant,
    },
    /// One trial is out; nothing else goes until it comes back.
    HalfOpen,
}

#[derive(Debug, Clone, Copy)]
pub struct Circuit {
    pub state: CircuitState,
    pub threshold: u32,
    pub cool_off: Duration,
}

impl Circuit {
    pub fn new(threshold: u32, cool_off: Duration) -> Self {
        Self {
            state: CircuitState::Closed { failures: 0 },
            threshold: threshold.max(1),
            cool_off,
        }
    }

    /// Whether a message may go to the provider now; an open circuit whose cool-off is over
    /// lets this one through as the trial.
    pub fn allow(&mut self, now: Instant) -> bool {
        match self.state {
            CircuitState::Closed { .. } => true,
            CircuitState::Open { until } if now >= until => {
                self.state = CircuitState::HalfOpen;
                true
            }
            CircuitState::Open { .. } | CircuitState::HalfOpen => false,
        }
    }

    pub fn succeeded(&mut self) {
        self.state = CircuitState::Closed { failures: 0 };
    }

    /// The message was refused for itself (no address, a number the provider will not take):
    /// nothing learnt of the provider's health. A trial spent that way is handed to the next
    /// message, so the circuit never waits on a trial that will not report.
    pub fn inconclusive(&mut self, now: Instant) {
        if self.state == CircuitState::HalfOpen {
            self.state = CircuitState::Open { until: now };
        }
    }

    pub fn failed(&mut self, now: Instant) {
        self.state = match self.state {
            CircuitState::Closed { failures } if failures + 1 < self.threshold => {
                CircuitState::Closed {
                    failures: failures + 1,
                }
            }
            _ => CircuitState::Open {
                until: now + self.cool_off,
            },
        };
    }

    /// A name for admins: closed, open or half-open.
    pub fn label(&self) -> &'static str {
        match self.state {
            CircuitState::Closed { .. } => "closed",
            CircuitState::Open { .. } => "open",
            CircuitState::HalfOpen => "half-open",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_of_one_message_neither_counts_nor_strands_a_trial() {
        let start = Instant::now();
        let mut c = Circuit::new(2, Duration::from_secs(10));
        c.failed(start);
        c.inconclusive(start);
        assert_eq!(c.state, CircuitState::Closed { failures: 1 }, "not counted");
        c.failed(start);
        let later = start + Duration::from_secs(10);
        assert!(c.allow(later), "the trial");
        c.inconclusive(later);
        assert!(c.allow(later), "the next message is the trial");
        assert_eq!(c.state, CircuitState::HalfOpen);
        c.succeeded();
        assert_eq!(c.state, CircuitState::Closed { failures: 0 });
    }

    #[test]
    fn it_opens_after_the_threshold_and_half_opens_after_the_cool_off() {
        let t0 = Instant::now();
        let mut c = Circuit::new(3, Duration::from_secs(60));
        for _ in 0..2 {
            assert!(c.allow(t0));
            c.failed(t0);
        }
        assert_eq!(c.label(), "closed");
        assert!(c.allow(t0));
        c.failed(t0);
        assert_eq!(c.label(), "open");
        assert!(!c.allow(t0 + Duration::from_secs(59)));
        assert!(c.allow(t0 + Duration::from_secs(60)), "the trial");
        assert_eq!(c.label(), "half-open");
        assert!(
            !c.allow(t0 + Duration::from_secs(60)),
            "one trial at a time"
        );
        c.succeeded();
        assert_eq!(c.label(), "closed");
        assert!(c.allow(t0 + Duration::from_secs(61)));
    }

    #[test]
    fn a_failed_trial_opens_it_again_for_a_whole_cool_off() {
        let t0 = Instant::now();
        let mut c = Circuit::new(1, Duration::from_secs(10));
        c.failed(t0);
        let t1 = t0 + Duration::from_secs(10);
        assert!(c.allow(t1));
        c.failed(t1);
        assert!(!c.allow(t1 + Duration::from_secs(9)));
        assert!(c.allow(t1 + Duration::from_secs(10)));
    }

    #[test]
    fn a_success_clears_the_count() {
        let t0 = Instant::now();
        let mut c = Circuit::new(2, Duration::from_secs(10));
        c.failed(t0);
        c.succeeded();
        c.failed(t0);
        assert_eq!(c.label(), "closed");
    }
}
