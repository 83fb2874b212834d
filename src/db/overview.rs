//! The clients list: one row per client with the figures the home screen shows.
