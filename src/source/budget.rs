//! What reading one file may cost.
//!
//! Every reader works in time and memory proportional to its input, but "proportional"
//! is not enough for a run over a folder someone else filled: one crafted or broken file
//! must not hold the run up for minutes. A [`Budget`] carries the deadline by which a file
//! must be read (the HTML reader checks it between pieces of input, the pipeline between
//! steps; a file past it is skipped with a reason) and the most text kept from it (the
//! readers stop there, so nothing after them ever sees more).

use std::time::{Duration, Instant};

use super::SourceError;

/// The limits one file is read under.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// When reading this file is given up; `None` never.
    pub deadline: Option<Instant>,
    /// Time allowed, for the message.
    pub allowed: Duration,
    /// Most bytes of clean text kept.
    pub max_text_bytes: usize,
}

impl Budget {
    /// No deadline, the default text cap (for callers that read one file they chose).
    pub(crate) fn unlimited() -> Budget {
        Budget { deadline: None, allowed: Duration::MAX, max_text_bytes: super::DEFAULT_MAX_TEXT_BYTES }
    }

    /// A budget starting now.
    pub(crate) fn starting_now(allowed: Duration, max_text_bytes: usize) -> Budget {
        Budget { deadline: Instant::now().checked_add(allowed), allowed, max_text_bytes }
    }

    /// `Err(TooSlow)` once the deadline has passed.
    pub fn check(&self) -> Result<(), SourceError> {
        match self.deadline {
            Some(at) if Instant::now() > at => Err(SourceError::TooSlow { seconds: self.allowed.as_secs_f64() }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_expires_and_says_how_long_it_allowed() {
        assert!(Budget::unlimited().check().is_ok());
        assert!(Budget::starting_now(Duration::from_secs(60), 100).check().is_ok());
        let spent = Budget::starting_now(Duration::ZERO, 100);
        std::thread::sleep(Duration::from_millis(2));
        let e = spent.check().unwrap_err();
        assert!(e.to_string().starts_with("too slow: "), "{e}");
    }
}
