//! The bare outputs for shell pipelines, as ripgrep has them: `--count` prints how many
//! bulletins match, `--files-with-matches` the path of each hit, one a line.

use std::io::{self, Write};

use super::{display_path, sanitize, Printer, Summary};
use crate::search::Hit;

/// Prints the number of matching bulletins.
pub struct CountPrinter<'a> {
    out: &'a mut dyn Write,
}

impl<'a> CountPrinter<'a> {
    pub fn new(out: &'a mut dyn Write) -> CountPrinter<'a> {
        CountPrinter { out }
    }
}

impl Printer for CountPrinter<'_> {
    fn hit(&mut self, _: &Hit) -> io::Result<()> {
        Ok(())
    }

    fn end(&mut self, summary: &Summary) -> io::Result<()> {
        writeln!(self.out, "{}", summary.total)
    }
}

/// Prints each hit's path.
pub struct PathPrinter<'a> {
    out: &'a mut dyn Write,
}

impl<'a> PathPrinter<'a> {
    pub fn new(out: &'a mut dyn Write) -> PathPrinter<'a> {
        PathPrinter { out }
    }
}

impl Printer for PathPrinter<'_> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        writeln!(self.out, "{}", sanitize(&display_path(&hit.path)))
    }
}
