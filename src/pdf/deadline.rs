//! Work with a time limit: typst cannot be cancelled, so a compilation runs on a helper thread
//! and the caller waits at most so long for it.

use std::time::Duration;

/// Stack of the thread that compiles: typst recurses deeply (the main thread has 8 MiB).
const STACK_BYTES: usize = 8 << 20;

/// Why work returned no result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stopped {
    /// It took longer than the limit. The helper is left to finish on its own: nothing of it
    /// is used, and it ends with the process at the latest.
    TimedOut,
    /// It panicked (its thread ended without a result).
    Panicked,
    /// No thread could be started.
    NoThread,
}

/// A job for a helper thread.
type Job = Box<dyn FnOnce() + Send>;

thread_local! {
    /// The helper thread of this thread: kept from one document to the next, so that what
    /// typst and the allocator keep per thread is reused, as if this thread compiled itself.
    static HELPER: std::cell::RefCell<Option<std::sync::mpsc::Sender<Job>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `work` on this thread's helper thread and returns its result, or why there is none,
/// after at most `limit`. A helper that ran out of time or panicked is given up; the next call
/// starts a new one.
pub(super) fn within<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Stopped> {
    let (sender, receiver) = std::sync::mpsc::sync_channel(1);
    let job: Job = Box::new(move || {
        // The receiver is gone when the caller stopped waiting: nothing to tell.
        let _ = sender.send(work());
    });
    HELPER.with_borrow_mut(|helper| {
        let jobs = match helper {
            Some(jobs) => jobs,
            None => helper.insert(spawn()?),
        };
        jobs.send(job).map_err(|_| Stopped::Panicked)
    })?;
    receiver.recv_timeout(limit).map_err(|e| {
        HELPER.set(None);
        match e {
            std::sync::mpsc::RecvTimeoutError::Timeout => Stopped::TimedOut,
            std::sync::mpsc::RecvTimeoutError::Disconnected => Stopped::Panicked,
        }
    })
}

/// Starts a helper thread: it runs the jobs sent to it until its sender is dropped.
fn spawn() -> Result<std::sync::mpsc::Sender<Job>, Stopped> {
    let (jobs, queue) = std::sync::mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("annex-typst".into())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            while let Ok(job) = queue.recv() {
                job();
            }
        })
        .map_err(|_| Stopped::NoThread)?;
    Ok(jobs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_gives_its_result_or_is_left_behind() {
        assert_eq!(within(Duration::from_secs(5), || 6 * 7), Ok(42));
        let slow = within(Duration::from_millis(20), || {
            std::thread::sleep(Duration::from_secs(2));
        });
        assert_eq!(slow, Err(Stopped::TimedOut));
        #[allow(clippy::panic)]
        let broken = within(Duration::from_secs(5), || -> u8 { panic!("in typst") });
        assert_eq!(broken, Err(Stopped::Panicked));
        // A new helper takes over.
        assert_eq!(within(Duration::from_secs(5), || 1), Ok(1));
    }
}
