//! Half-typed forms kept when the terminal goes away. Drafts are scratch
//! space, not records: they are written in their own transaction but not
//! audited, and are deleted once the form is saved or discarded.

use super::audit::timestamp;
use super::{Result, Store};
use rusqlite::params;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub id: i64,
    pub kind: String,
    pub target: String,
    pub payload: Value,
    pub saved_at: String,
}

impl Store {
    /// Keeps one draft per form kind and target, replacing an older one.
    pub fn save_draft(&mut self, kind: &str, target: &str, payload: &Value) -> Result<()> {
        let now = timestamp(self.clock().now());
        self.write(|w| {
            w.tx.execute(
                "INSERT INTO drafts (kind, target, payload, saved_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (kind, target) DO UPDATE SET payload = excluded.payload, saved_at = excluded.saved_at",
                params![kind, target, payload.to_string(), now],
            )?;
            Ok(())
        })
    }

    pub fn drafts(&self) -> Result<Vec<Draft>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, kind, target, payload, saved_at FROM drafts ORDER BY saved_at DESC, id DESC")?;
        let rows = stmt.query_map([], |r| {
            let payload: String = r.get(3)?;
            Ok(Draft {
                id: r.get(0)?,
                kind: r.get(1)?,
                target: r.get(2)?,
                payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
                saved_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn delete_draft(&mut self, id: i64) -> Result<()> {
        self.write(|w| {
            w.tx.execute("DELETE FROM drafts WHERE id = ?1", [id])?;
            Ok(())
        })
    }
}
