//! When a failed message is tried again: exponential backoff with "equal" jitter (half the
//! exponential bound, plus a random part of the other half), so messages that failed together
//! on one outage do not all come back at the same instant, and none comes back at once. The
//! randomness is passed in, so the rule is tested.

use std::time::Duration;

/// How a channel retries: the first bound, the largest, and how many tries in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub base: Duration,
    pub cap: Duration,
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    /// 8 tries over about an hour at most: bounds of 30 s, 1, 2, 4, 8, 16 then 30 min.
    fn default() -> Self {
        Self {
            base: Duration::from_secs(30),
            cap: Duration::from_secs(30 * 60),
            max_attempts: 8,
        }
    }
}

/// What to do after a try failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryIn(Duration),
    GiveUp,
}

impl RetryPolicy {
    /// After try number `attempts` (1 for the first) failed: with `bound` = `base *
    /// 2^(attempts-1)`, at most `cap`, wait half of it plus a random part (`unit` in [0, 1)) of
    /// the other half, and at least what the provider asked for (`Retry-After`); or give up
    /// after the last try.
    pub fn after_failure(
        &self,
        attempts: u32,
        unit: f64,
        provider_asked: Option<Duration>,
    ) -> AfterFailure {
        if attempts >= self.max_attempts {
            return AfterFailure::GiveUp;
        }
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1));
        let bound = self.base.saturating_mul(factor).min(self.cap);
        let half = bound / 2;
        let wait = half + half.mul_f64(unit.clamp(0.0, 1.0));
        AfterFailure::RetryIn(wait.max(provider_asked.unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn the_bound_doubles_up_to_the_cap_and_the_wait_is_at_least_half_of_it() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.after_failure(1, 1.0, None),
            AfterFailure::RetryIn(secs(30))
        );
        assert_eq!(
            p.after_failure(2, 1.0, None),
            AfterFailure::RetryIn(secs(60))
        );
        assert_eq!(
            p.after_failure(3, 0.5, None),
            AfterFailure::RetryIn(secs(90)),
            "half of 120 s, and half of the other half"
        );
        assert_eq!(
            p.after_failure(7, 1.0, None),
            AfterFailure::RetryIn(secs(1800))
        );
        assert_eq!(
            p.after_failure(1, 0.0, None),
            AfterFailure::RetryIn(secs(15)),
            "never at once"
        );
    }

    #[test]
    fn a_provider_asking_for_more_time_gets_it() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.after_failure(1, 0.1, Some(secs(120))),
            AfterFailure::RetryIn(secs(120))
        );
    }

    #[test]
    fn the_last_try_gives_up() {
        let p = RetryPolicy::default();
        assert_eq!(p.after_failure(8, 0.5, None), AfterFailure::GiveUp);
        assert_eq!(p.after_failure(80, 0.5, None), AfterFailure::GiveUp);
    }

    #[test]
    fn many_failures_never_overflow() {
        let p = RetryPolicy {
            max_attempts: u32::MAX,
            ..RetryPolicy::default()
        };
        assert_eq!(
            p.after_failure(200, 1.0, None),
            AfterFailure::RetryIn(secs(1800))
        );
    }
}
