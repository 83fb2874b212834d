//! needlelog: a session log for microneedling practitioners.

pub mod cli;
pub mod db;
pub mod demo;
pub mod domain;
pub mod export;
