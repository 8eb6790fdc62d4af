//! Keeping an indexing process's resident memory flat while tantivy reads its own files.
//!
//! tantivy reads segments through `mmap`. Every page a merge or a lookup touches stays
//! mapped — and counted in the process's resident set — until the segment is dropped. A
//! run over a million bulletins merges gigabytes of segments, so its RSS would climb far
//! past what the indexer itself holds, although those pages are only the kernel's file
//! cache seen through a mapping.
//!
//! [`TrackedDirectory`] wraps tantivy's [`MmapDirectory`] and remembers (weakly) every file
//! it maps. While a [`Trimmer`] runs, it periodically tells the kernel that the pages of
//! those mappings are not needed right now (`MADV_DONTNEED`). For a read-only file mapping
//! that is lossless: the next access faults the same bytes back in from the page cache. A
//! mapping is trimmed only while a strong reference to it is held, so the address range
//! cannot be unmapped and reused for anything else in the meantime.

use std::fmt;
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr};

/// The files a [`TrackedDirectory`] has mapped, held weakly so tracking never keeps a
/// deleted segment alive.
#[derive(Clone, Default)]
pub struct MappedFiles(Arc<Mutex<Vec<Weak<dyn FileHandle>>>>);

impl fmt::Debug for MappedFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MappedFiles").finish_non_exhaustive()
    }
}

impl MappedFiles {
    fn remember(&self, handle: &Arc<dyn FileHandle>) {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Forget dropped mappings as we go, so the list stays as long as the live segments.
        if files.len() >= 64 && files.len().is_power_of_two() {
            files.retain(|w| w.strong_count() > 0);
        }
        files.push(Arc::downgrade(handle));
    }

    /// Release the resident pages of every live mapping. Returns the bytes advised.
    pub fn trim(&self) -> u64 {
        let live: Vec<Arc<dyn FileHandle>> = {
            let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
            files.retain(|w| w.strong_count() > 0);
            files.iter().filter_map(Weak::upgrade).collect()
        };
        live.iter().map(|handle| release(handle.as_ref())).sum()
    }
}

#[cfg(target_os = "linux")]
fn release(handle: &dyn FileHandle) -> u64 {
    let len = handle.len();
    if len == 0 {
        return 0;
    }
    // For an mmap-backed handle this is the mapping itself, not a copy.
    let Ok(bytes) = handle.read_bytes(0..len) else { return 0 };
    let page = 4096usize;
    let start = bytes.as_slice().as_ptr() as usize;
    let first = start.div_ceil(page) * page;
    let end = (start + bytes.len()) / page * page;
    if end <= first {
        return 0;
    }
    // SAFETY: [first, end) lies inside a read-only file mapping kept alive by `bytes` (and
    // `handle`) for the duration of the call. MADV_DONTNEED on such a mapping drops only
    // the page-table entries; later reads fault in the unchanged file contents again.
    let rc = unsafe { libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_DONTNEED) };
    if rc == 0 {
        (end - first) as u64
    } else {
        0
    }
}

#[cfg(not(target_os = "linux"))]
fn release(_handle: &dyn FileHandle) -> u64 {
    0
}

/// tantivy's [`MmapDirectory`], remembering what it maps.
#[derive(Clone, Debug)]
pub(crate) struct TrackedDirectory {
    inner: MmapDirectory,
    mapped: MappedFiles,
}

impl TrackedDirectory {
    pub fn open(dir: &Path) -> Result<TrackedDirectory, tantivy::directory::error::OpenDirectoryError> {
        Ok(TrackedDirectory { inner: MmapDirectory::open(dir)?, mapped: MappedFiles::default() })
    }

    pub(crate) fn mapped(&self) -> MappedFiles {
        self.mapped.clone()
    }
}

impl Directory for TrackedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let handle = self.inner.get_file_handle(path)?;
        self.mapped.remember(&handle);
        Ok(handle)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// Trims [`MappedFiles`] every `interval` on a background thread until dropped.
pub(crate) struct Trimmer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Trimmer {
    /// Start trimming every `interval`; `None` makes a trimmer that does nothing.
    pub fn start(mapped: MappedFiles, interval: Option<Duration>) -> Trimmer {
        let Some(interval) = interval else { return Trimmer { stop: None, thread: None } };
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("tongbao-trim".into())
            .spawn(move || loop {
                match stopped.recv_timeout(interval) {
                    Err(RecvTimeoutError::Timeout) => {
                        mapped.trim();
                    }
                    _ => return,
                }
            })
            .ok();
        Trimmer { stop: Some(stop), thread }
    }
}

impl Drop for Trimmer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// Resident kilobytes of the one mapping that starts at `addr` (from /proc/self/smaps,
    /// so other tests mapping files at the same time do not disturb the figure).
    fn resident_kb(addr: usize) -> u64 {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let mut lines = smaps.lines();
        while let Some(line) = lines.next() {
            let Some((range, _)) = line.split_once(' ') else { continue };
            let Some((start, _)) = range.split_once('-') else { continue };
            if usize::from_str_radix(start, 16).ok() != Some(addr) {
                continue;
            }
            for field in lines.by_ref() {
                if let Some(rest) = field.strip_prefix("Rss:") {
                    return rest.trim().trim_end_matches("kB").trim().parse().unwrap();
                }
            }
        }
        panic!("no mapping at {addr:#x}");
    }

    #[test]
    fn trimming_releases_mapped_pages_and_keeps_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let data: Vec<u8> = (0..64u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        std::fs::write(dir.path().join("segment.bin"), &data).unwrap();
        let directory = TrackedDirectory::open(dir.path()).unwrap();
        let handle = directory.get_file_handle(Path::new("segment.bin")).unwrap();
        let bytes = handle.read_bytes(0..handle.len()).unwrap();
        let sum = |b: &[u8]| b.iter().step_by(4096).map(|&x| x as u64).sum::<u64>();
        let expected = sum(&data);
        drop(data);
        let addr = bytes.as_slice().as_ptr() as usize;
        assert_eq!(sum(bytes.as_slice()), expected);
        let touched = resident_kb(addr);
        assert!(touched >= 60 * 1024, "reading should make the mapping resident: {touched} kB");
        let advised = directory.mapped().trim();
        assert_eq!(advised, 64 << 20);
        let trimmed = resident_kb(addr);
        assert!(trimmed < 1024, "trim should release the pages: {touched} → {trimmed} kB");
        // The mapping still reads the same bytes after trimming.
        assert_eq!(sum(bytes.as_slice()), expected);
        drop((bytes, handle));
        assert_eq!(directory.mapped().trim(), 0, "dropped mappings are forgotten");
    }
}
