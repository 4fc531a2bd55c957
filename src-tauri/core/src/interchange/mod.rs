//! Interchange with the tools companies use today: Excel (export of the task allocation table,
//! ledger, issue log, risk register and change requests; import of a task allocation table) and a
//! documented JSON form of a whole project (`schema/liaison-project.schema.json`).

pub mod json;
pub mod tasks;
pub mod xlsx;

#[cfg(test)]
mod tests;
