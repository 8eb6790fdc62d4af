//! Containing panics: a bug or a damaged index must cost one file or one command, not the
//! whole run, and must never print a backtrace at the user.
//!
//! [`catch`] runs a closure and turns a panic into an error message; while it runs, the
//! hook installed by [`install_hook`] stays silent on that thread, so the caller decides
//! what the user sees. A panic outside `catch` prints one line asking for a report.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    static CATCHING: Cell<usize> = const { Cell::new(0) };
}

/// Run `f`; a panic inside becomes `Err(message)`.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    CATCHING.with(|c| c.set(c.get() + 1));
    // The closures given here own or only read what they touch; a panic leaves nothing
    // half-updated that the caller goes on to use.
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get().saturating_sub(1)));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

/// Replace the default panic hook (for the binary): silent inside [`catch`], one line
/// otherwise.
pub fn install_hook() {
    panic::set_hook(Box::new(|info| {
        if CATCHING.with(|c| c.get()) > 0 {
            return;
        }
        let msg = crate::sanitize::sanitize(&info.to_string());
        eprintln!("tongbao: internal error: {msg}; please report it (indexes are left at their last commit)");
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_errors() {
        assert_eq!(catch(|| 7), Ok(7));
        let e = catch(|| -> u8 { panic!("boom {}", 1) }).unwrap_err();
        assert_eq!(e, "boom 1");
        assert!(catch(|| -> u8 { panic!("static") }).unwrap_err() == "static");
    }
}
