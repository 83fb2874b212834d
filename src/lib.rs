//! needlelog: a session log for microneedling practitioners.

pub mod app;
pub mod chart;
pub mod cli;
pub mod config;
pub mod crash;
pub mod db;
pub mod demo;
pub mod domain;
pub mod export;
pub mod import;
pub mod photo;
pub mod screenshot;
#[cfg(test)]
mod testing;
pub mod tui;
pub mod ui;
