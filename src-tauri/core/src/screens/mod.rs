//! Screen data: what each stage of the app draws, assembled from the domain modules.
//!
//! Every function here is a function of a connection, a moment and (where words are shown) a
//! language, so the desktop shell passes the clock in from one place and the screens are tested
//! without a window. The structures serialize to exactly the JSON the UI reads.

pub mod closing;
pub mod meetings;
pub mod org;
pub mod tracking;

#[cfg(test)]
mod tests;

/// The plan's tasks as `(id, "1.2 name")`, leaves only (summaries cannot take action items).
fn leaf_labels(plan: &crate::plan::Plan) -> Vec<(i64, String)> {
    plan.tasks
        .iter()
        .zip(&plan.rows)
        .filter(|(_, r)| !r.summary)
        .map(|(t, r)| (t.id, format!("{} {}", r.outline, t.name)))
        .collect()
}

/// The departments as `(id, name)`.
fn department_names(c: &rusqlite::Connection) -> crate::Result<Vec<(i64, String)>> {
    Ok(crate::org::list(c)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect())
}
