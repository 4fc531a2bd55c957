//! Scheduling rules on a plan held in memory: outline numbers, dependency cycles, dependencies a
//! date violates, buffers. Pure functions; storage calls them before and after every edit.

use super::calendar::Calendar;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet, VecDeque};

/// How a dependency ties its successor to its predecessor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// The successor starts after the predecessor finishes (完成-开始).
    Fs,
    /// The successor starts no earlier than the predecessor starts (开始-开始).
    Ss,
    /// The successor finishes no earlier than the predecessor finishes (完成-完成).
    Ff,
}

impl LinkKind {
    pub fn code(self) -> &'static str {
        match self {
            LinkKind::Fs => "fs",
            LinkKind::Ss => "ss",
            LinkKind::Ff => "ff",
        }
    }

    pub fn parse(s: &str) -> Option<LinkKind> {
        match s {
            "fs" => Some(LinkKind::Fs),
            "ss" => Some(LinkKind::Ss),
            "ff" => Some(LinkKind::Ff),
            _ => None,
        }
    }
}

/// A dependency: `successor` waits on `predecessor`, `lag` working days later (negative: overlap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    pub id: i64,
    pub predecessor: i64,
    pub successor: i64,
    pub kind: LinkKind,
    pub lag: i64,
}

/// A task's scheduled span (work plus buffer), inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: NaiveDate,
    pub finish: NaiveDate,
}

/// A dependency the current dates break: the successor's start (or finish, for FF) is before
/// `earliest`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Violation {
    pub link: Link,
    pub earliest: NaiveDate,
    pub actual: NaiveDate,
}

/// The earliest date the successor may start (FS, SS) or finish (FF) under `link`.
pub fn earliest(cal: &Calendar, link: &Link, pred: Span) -> NaiveDate {
    match link.kind {
        LinkKind::Fs => cal.add_working_days(pred.finish, link.lag.saturating_add(1)),
        LinkKind::Ss => cal.add_working_days(cal.next_working(pred.start), link.lag),
        LinkKind::Ff => cal.add_working_days(pred.finish, link.lag),
    }
}

/// The dependencies whose successor is scheduled too early, in the order of `links`. Links to tasks
/// without dates are not judged.
pub fn violations(cal: &Calendar, spans: &HashMap<i64, Span>, links: &[Link]) -> Vec<Violation> {
    links
        .iter()
        .filter_map(|link| {
            let pred = spans.get(&link.predecessor)?;
            let succ = spans.get(&link.successor)?;
            let earliest = earliest(cal, link, *pred);
            let actual = match link.kind {
                LinkKind::Fs | LinkKind::Ss => succ.start,
                LinkKind::Ff => succ.finish,
            };
            (actual < earliest).then_some(Violation {
                link: *link,
                earliest,
                actual,
            })
        })
        .collect()
}

/// The cycle that a new dependency `predecessor → successor` would close, as the tasks along it
/// starting and ending with `predecessor`; `None` when the link is safe.
pub fn cycle_with(links: &[Link], predecessor: i64, successor: i64) -> Option<Vec<i64>> {
    if predecessor == successor {
        return Some(vec![predecessor, predecessor]);
    }
    let mut next: HashMap<i64, Vec<i64>> = HashMap::new();
    for l in links {
        next.entry(l.predecessor).or_default().push(l.successor);
    }
    // Breadth-first from the successor: reaching the predecessor means the new link closes a loop.
    let mut came_from: HashMap<i64, i64> = HashMap::new();
    let mut seen: HashSet<i64> = HashSet::from([successor]);
    let mut queue = VecDeque::from([successor]);
    while let Some(at) = queue.pop_front() {
        if at == predecessor {
            // Walk back to the successor, then read the loop in link order:
            // predecessor → successor → … → predecessor.
            let mut back = vec![predecessor];
            let mut cur = predecessor;
            while cur != successor {
                cur = came_from[&cur];
                back.push(cur);
            }
            back.reverse();
            let mut ordered = vec![predecessor];
            ordered.extend(back);
            return Some(ordered);
        }
        for &n in next.get(&at).map(Vec::as_slice).unwrap_or_default() {
            if seen.insert(n) {
                came_from.insert(n, at);
                queue.push_back(n);
            }
        }
    }
    None
}

/// A node of the task tree: id, parent and position among its siblings.
#[derive(Debug, Clone, Copy)]
pub struct Node {
    pub id: i64,
    pub parent: Option<i64>,
    pub position: i64,
}

/// The tree in outline order with each task's outline number (1, 1.2, 1.2.3) and depth. Tasks whose
/// parent is missing are treated as top-level, so a damaged tree still shows every task.
pub fn outline(nodes: &[Node]) -> Vec<(i64, String, usize)> {
    let ids: HashSet<i64> = nodes.iter().map(|n| n.id).collect();
    let mut children: HashMap<Option<i64>, Vec<Node>> = HashMap::new();
    for n in nodes {
        let parent = n.parent.filter(|p| ids.contains(p) && *p != n.id);
        children.entry(parent).or_default().push(*n);
    }
    for list in children.values_mut() {
        list.sort_by_key(|n| (n.position, n.id));
    }
    let mut out = Vec::with_capacity(nodes.len());
    let mut visited = HashSet::new();
    // Explicit stack (deep trees must not overflow): (node, its outline number, depth).
    let mut stack: Vec<(i64, String, usize)> = children
        .get(&None)
        .map(|l| {
            l.iter()
                .enumerate()
                .rev()
                .map(|(i, n)| (n.id, (i + 1).to_string(), 0))
                .collect()
        })
        .unwrap_or_default();
    while let Some((id, number, depth)) = stack.pop() {
        if !visited.insert(id) {
            continue;
        }
        if let Some(kids) = children.get(&Some(id)) {
            for (i, k) in kids.iter().enumerate().rev() {
                stack.push((k.id, format!("{number}.{}", i + 1), depth + 1));
            }
        }
        out.push((id, number, depth));
    }
    // Tasks caught in a parent loop (only in a damaged file) are appended at the top level.
    let mut next = children.get(&None).map_or(0, Vec::len);
    for n in nodes {
        if !visited.contains(&n.id) {
            next += 1;
            visited.insert(n.id);
            out.push((n.id, next.to_string(), 0));
        }
    }
    out
}

/// The buffer to suggest for a task of `duration` working days with none: 10–15 % of it, rounded
/// up to whole days (a 7-day task gets 1 day, as in the guides). `None` for milestones.
pub fn suggested_buffer(duration: i64) -> Option<(i64, i64)> {
    if duration <= 0 {
        return None;
    }
    // Durations beyond ten years are refused on entry; saturating keeps a damaged file harmless.
    let low = duration.saturating_mul(10).saturating_add(99) / 100;
    let high = (duration.saturating_mul(15) / 100).max(low);
    Some((low, high))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn link(id: i64, p: i64, s: i64, kind: LinkKind, lag: i64) -> Link {
        Link {
            id,
            predecessor: p,
            successor: s,
            kind,
            lag,
        }
    }

    #[test]
    fn a_link_that_closes_a_loop_names_the_loop_in_order() {
        let links = [
            link(1, 1, 2, LinkKind::Fs, 0),
            link(2, 2, 3, LinkKind::Fs, 0),
        ];
        assert_eq!(cycle_with(&links, 3, 1), Some(vec![3, 1, 2, 3]));
        assert_eq!(cycle_with(&links, 2, 1), Some(vec![2, 1, 2]));
        assert_eq!(cycle_with(&links, 1, 3), None);
        assert_eq!(cycle_with(&links, 4, 4), Some(vec![4, 4]));
        // A diamond is not a cycle.
        let diamond = [
            link(1, 1, 2, LinkKind::Fs, 0),
            link(2, 1, 3, LinkKind::Fs, 0),
            link(3, 2, 4, LinkKind::Fs, 0),
        ];
        assert_eq!(cycle_with(&diamond, 3, 4), None);
        assert_eq!(cycle_with(&diamond, 4, 1), Some(vec![4, 1, 2, 4]));
    }

    #[test]
    fn dependencies_are_judged_in_working_days_with_their_lag() {
        let cal = Calendar::new([d("2023-08-08")], []);
        let spans = HashMap::from([
            // Training material: Tue 8-01 to Mon 8-07.
            (
                1,
                Span {
                    start: d("2023-08-01"),
                    finish: d("2023-08-07"),
                },
            ),
            // Channel roll-out starts Wed 8-09: the first working day after 8-07 is 8-09 (8-08 off).
            (
                2,
                Span {
                    start: d("2023-08-09"),
                    finish: d("2023-08-18"),
                },
            ),
        ]);
        let fs = link(1, 1, 2, LinkKind::Fs, 0);
        assert!(violations(&cal, &spans, &[fs]).is_empty());
        // Two working days of lag push the earliest start to Fri 8-11.
        let lagged = link(1, 1, 2, LinkKind::Fs, 2);
        let v = violations(&cal, &spans, &[lagged]);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].earliest, d("2023-08-11"));
        assert_eq!(v[0].actual, d("2023-08-09"));
        // SS: may start with the predecessor; FF: may not finish before it.
        assert!(violations(&cal, &spans, &[link(1, 1, 2, LinkKind::Ss, 0)]).is_empty());
        let ff = violations(&cal, &spans, &[link(1, 2, 1, LinkKind::Ff, 0)]);
        assert_eq!(ff[0].earliest, d("2023-08-18"));
        // A negative lag lets the successor overlap.
        let lead = link(1, 1, 2, LinkKind::Fs, -3);
        assert_eq!(earliest(&cal, &lead, spans[&1]), d("2023-08-03"));
    }

    #[test]
    fn outline_numbers_follow_the_tree() {
        let nodes = [
            Node {
                id: 10,
                parent: None,
                position: 2,
            },
            Node {
                id: 11,
                parent: None,
                position: 1,
            },
            Node {
                id: 12,
                parent: Some(10),
                position: 1,
            },
            Node {
                id: 13,
                parent: Some(12),
                position: 1,
            },
            Node {
                id: 14,
                parent: Some(10),
                position: 0,
            },
        ];
        let got: Vec<(i64, String, usize)> = outline(&nodes);
        let want = [
            (11, "1", 0),
            (10, "2", 0),
            (14, "2.1", 1),
            (12, "2.2", 1),
            (13, "2.2.1", 2),
        ];
        assert_eq!(
            got,
            want.map(|(i, s, d)| (i, s.to_string(), d)).to_vec(),
            "outline order and numbers"
        );
    }

    #[test]
    fn a_parent_loop_from_a_damaged_file_still_lists_every_task() {
        let nodes = [
            Node {
                id: 1,
                parent: Some(2),
                position: 0,
            },
            Node {
                id: 2,
                parent: Some(1),
                position: 0,
            },
            Node {
                id: 3,
                parent: None,
                position: 0,
            },
        ];
        let got = outline(&nodes);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].1, "1");
    }

    #[test]
    fn buffers_are_suggested_at_ten_to_fifteen_percent() {
        assert_eq!(suggested_buffer(7), Some((1, 1)));
        assert_eq!(suggested_buffer(20), Some((2, 3)));
        assert_eq!(suggested_buffer(1), Some((1, 1)));
        assert_eq!(suggested_buffer(0), None);
    }
}
