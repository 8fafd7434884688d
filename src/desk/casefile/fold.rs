//! Folding a report's events into its case state, the way every desk does it
//! alike: the same events give the same state, whatever order they arrive in.
//!
//! Verified events are put in one total order that respects the DAG (an event
//! comes after everything it had seen), with ties between concurrent events
//! broken by (day, author, sequence, name). Then: notes append; assignment
//! and reminder are last-writer-wins in that order; "seen" is kept per
//! person; tags are an observed-remove set: a removal takes away only the
//! additions among its ancestors, so a tag added concurrently survives.
//! Unverified events are listed and change nothing. A name that a verified
//! event had seen but nobody has, or a missing number in an author's
//! sequence, is a gap: the server dropped an action.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::event::{Action, Event, Opened};
use super::signing::Verdict;
use crate::ids::EventId;

/// Where an event came from.
#[derive(Clone, Debug)]
pub enum Source {
    /// Pulled from the server.
    Server {
        /// The server's id.
        id: EventId,
        /// The staff token's name that posted it (the server's word).
        posted_by: String,
        /// The day it arrived (the server's word).
        received: String,
    },
    /// In this desk's outbox, not sent yet.
    Queued,
}

/// One event file, opened (or why not).
#[derive(Clone, Debug)]
pub struct Item {
    /// Where it came from.
    pub source: Source,
    /// Its content, or why it could not be read as an event.
    pub opened: Result<Opened, String>,
}

/// A reminder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reminder {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// What to remember.
    pub note: Option<String>,
    /// Who set it.
    pub author: String,
}

/// One line of the audit trail.
#[derive(Clone, Debug)]
pub struct LogEntry {
    /// The event (`None` when it could not be read at all).
    pub event: Option<Event>,
    /// Where it came from.
    pub source: Source,
    /// `None` when verified; otherwise why it changed nothing.
    pub problem: Option<Problem>,
}

/// Why an event in the audit trail changed nothing: kept as a kind, so
/// `desk log` and the browser desk word it each in their own language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Signed by a name the team roster does not hold.
    UnknownAuthor,
    /// The signature does not match the roster's key for its author.
    BadSignature,
    /// The file could not be decrypted or read (why, in the core's words).
    Unreadable(String),
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownAuthor => f.write_str("UNVERIFIED: the author is not in the team roster"),
            Self::BadSignature => {
                f.write_str("UNVERIFIED: the signature does not match the roster")
            }
            Self::Unreadable(why) => write!(f, "UNREADABLE: {why}"),
        }
    }
}

/// A report's case state.
#[derive(Clone, Debug, Default)]
pub struct CaseFile {
    /// Current tags.
    pub tags: BTreeSet<String>,
    /// Who works the case.
    pub assigned: Option<String>,
    /// The current reminder.
    pub reminder: Option<Reminder>,
    /// Notes, oldest first: (day, author, text).
    pub notes: Vec<(String, String, String)>,
    /// Who has seen the report: the last day they did, and how many
    /// messages it had then.
    pub seen: BTreeMap<String, (String, usize)>,
    /// The audit trail: verified events in order, then the others.
    pub log: Vec<LogEntry>,
    /// Each a sentence: an action the server dropped.
    pub gaps: Vec<String>,
    /// Names of the verified events nothing else has seen yet.
    pub heads: Vec<String>,
    /// Highest sequence number per author (verified events).
    last_seq: HashMap<String, u64>,
}

impl CaseFile {
    /// The sequence number `author`'s next event gets.
    pub fn next_seq(&self, author: &str) -> u64 {
        self.last_seq.get(author).copied().unwrap_or(0) + 1
    }

    /// Whether `name` has not seen the report as it is now (`messages` in
    /// its conversation).
    pub fn unseen_by(&self, name: &str, messages: usize) -> bool {
        self.seen.get(name).is_none_or(|(_, seen)| *seen < messages)
    }

    /// Events that did not verify (or could not be read).
    pub fn unverified(&self) -> usize {
        self.log.iter().filter(|e| e.problem.is_some()).count()
    }
}

fn problem(verdict: Verdict) -> Option<Problem> {
    match verdict {
        Verdict::Good => None,
        Verdict::UnknownAuthor => Some(Problem::UnknownAuthor),
        Verdict::BadSignature => Some(Problem::BadSignature),
    }
}

/// Folds a report's event files into its case state.
pub fn fold(items: Vec<Item>) -> CaseFile {
    let mut case = CaseFile::default();
    let mut known: HashSet<String> = HashSet::new();
    let mut verified: BTreeMap<String, (Event, Source)> = BTreeMap::new();
    let mut others = Vec::new();
    for item in items {
        match item.opened {
            Ok(o) => {
                known.insert(o.hash.clone());
                match problem(o.verdict) {
                    // The same event twice (a replay) counts once.
                    None => {
                        verified.entry(o.hash).or_insert((o.event, item.source));
                    }
                    Some(p) => others.push(LogEntry {
                        event: Some(o.event),
                        source: item.source,
                        problem: Some(p),
                    }),
                }
            }
            Err(why) => others.push(LogEntry {
                event: None,
                source: item.source,
                problem: Some(Problem::Unreadable(why)),
            }),
        }
    }
    let order = topological(&verified);
    let mut adds: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for hash in &order {
        let Some((event, source)) = verified.get(hash) else {
            continue;
        };
        match &event.action {
            Action::Note { text } => {
                case.notes
                    .push((event.day.clone(), event.author.clone(), text.clone()));
            }
            Action::Tag {
                tags,
                remove: false,
            } => {
                for t in tags {
                    adds.entry(t.clone()).or_default().insert(hash.clone());
                }
            }
            Action::Tag { tags, remove: true } => {
                let seen = ancestors(hash, &verified);
                for t in tags {
                    if let Some(set) = adds.get_mut(t) {
                        set.retain(|h| !seen.contains(h));
                    }
                }
            }
            Action::Assign { to } => case.assigned = to.clone(),
            Action::Remind { date, note } => {
                case.reminder = Some(Reminder {
                    date: date.clone(),
                    note: note.clone(),
                    author: event.author.clone(),
                })
            }
            Action::Seen { messages } => {
                let (day, count) = case.seen.entry(event.author.clone()).or_default();
                if *day < event.day {
                    *day = event.day.clone();
                }
                *count = (*count).max(*messages);
            }
            Action::Reply { .. }
            | Action::Status { .. }
            | Action::Forward { .. }
            | Action::Delete { .. } => {}
        }
        let seq = case.last_seq.entry(event.author.clone()).or_default();
        *seq = (*seq).max(event.seq);
        case.log.push(LogEntry {
            event: Some(event.clone()),
            source: source.clone(),
            problem: None,
        });
    }
    case.tags = adds
        .into_iter()
        .filter(|(_, set)| !set.is_empty())
        .map(|(t, _)| t)
        .collect();
    case.gaps = gaps(&verified, &known);
    let referenced: HashSet<&String> = verified.values().flat_map(|(e, _)| &e.seen).collect();
    case.heads = verified
        .keys()
        .filter(|h| !referenced.contains(h))
        .cloned()
        .collect();
    case.log.extend(others);
    case
}

/// Verified events in DAG order, ties broken by (day, author, seq, name).
fn topological(verified: &BTreeMap<String, (Event, Source)>) -> Vec<String> {
    type Key<'a> = (&'a str, &'a str, u64, &'a str);
    let mut pending: HashMap<&str, usize> = HashMap::new();
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for (hash, (event, _)) in verified {
        let parents: BTreeSet<&str> = event
            .seen
            .iter()
            .map(String::as_str)
            .filter(|p| verified.contains_key(*p) && *p != hash)
            .collect();
        pending.insert(hash, parents.len());
        for p in parents {
            children.entry(p).or_default().push(hash);
        }
    }
    let order_key = |hash: &str| {
        verified
            .get_key_value(hash)
            .map(|(h, (e, _))| (e.day.as_str(), e.author.as_str(), e.seq, h.as_str()))
    };
    let mut ready: BTreeSet<Key<'_>> = pending
        .iter()
        .filter(|(_, n)| **n == 0)
        .filter_map(|(h, _)| order_key(h))
        .collect();
    let mut out = Vec::with_capacity(verified.len());
    while let Some(next) = ready.pop_first() {
        let hash = next.3;
        out.push(hash.to_string());
        for child in children.get(hash).into_iter().flatten() {
            if let Some(n) = pending.get_mut(child) {
                *n -= 1;
                if *n == 0 {
                    ready.extend(order_key(child));
                }
            }
        }
    }
    // A cycle cannot be made without breaking SHA-256; should one appear, its
    // events still count, after the rest.
    if out.len() < verified.len() {
        let done: HashSet<String> = out.iter().cloned().collect();
        out.extend(verified.keys().filter(|h| !done.contains(*h)).cloned());
    }
    out
}

/// Every verified event `hash` had seen, directly or not.
fn ancestors(hash: &str, verified: &BTreeMap<String, (Event, Source)>) -> HashSet<String> {
    let mut seen = HashSet::new();
    let mut todo: Vec<&str> = vec![hash];
    while let Some(h) = todo.pop() {
        if let Some((e, _)) = verified.get(h) {
            for p in &e.seen {
                if seen.insert(p.clone()) {
                    todo.push(p);
                }
            }
        }
    }
    seen
}

/// Names seen but held by nobody, and holes in an author's sequence.
fn gaps(verified: &BTreeMap<String, (Event, Source)>, known: &HashSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    for (hash, (event, _)) in verified {
        for p in &event.seen {
            if !known.contains(p) {
                out.push(format!(
                    "the server dropped an action: {}'s {} of {} (event {}) had seen event {}, which the server no longer lists",
                    event.author,
                    event.action.kind(),
                    event.day,
                    hash.get(..12).unwrap_or(hash),
                    p.chars().take(12).collect::<String>()
                ));
            }
        }
    }
    let mut by_author: BTreeMap<&str, BTreeSet<u64>> = BTreeMap::new();
    for (event, _) in verified.values() {
        by_author
            .entry(&event.author)
            .or_default()
            .insert(event.seq);
    }
    for (author, seqs) in by_author {
        let max = seqs.last().copied().unwrap_or(0);
        let missing: Vec<String> = (1..max)
            .filter(|n| !seqs.contains(n))
            .map(|n| n.to_string())
            .collect();
        if !missing.is_empty() {
            out.push(format!(
                "the server dropped an action: {author}'s action(s) number {} are missing",
                missing.join(", ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::event::{self, VERSION};
    use super::super::signing::{Roster, SigningIdentity};
    use super::*;
    use crate::ids::ReportId;

    struct Team {
        report: ReportId,
        roster: Roster,
        alice: SigningIdentity,
        bob: SigningIdentity,
    }

    impl Team {
        fn new() -> Self {
            let alice = SigningIdentity::generate("alice").unwrap();
            let bob = SigningIdentity::generate("bob").unwrap();
            let roster =
                Roster::parse(&format!("{}\n{}\n", alice.roster_line(), bob.roster_line()))
                    .unwrap();
            Self {
                report: ReportId::generate(),
                roster,
                alice,
                bob,
            }
        }

        /// Signs an event by `who` that had seen `seen`; returns it opened.
        fn act(&self, who: &SigningIdentity, seq: u64, seen: &[&Item], action: Action) -> Item {
            let e = Event {
                v: VERSION,
                report: self.report,
                author: who.name.clone(),
                day: "2026-11-29".into(),
                seq,
                seen: seen
                    .iter()
                    .map(|i| i.opened.as_ref().unwrap().hash.clone())
                    .collect(),
                action,
            };
            let (plain, _) = event::sign(&e, who).unwrap();
            Item {
                source: Source::Queued,
                opened: event::open(&plain, self.report, &self.roster),
            }
        }
    }

    fn tag(t: &str, remove: bool) -> Action {
        Action::Tag {
            tags: vec![t.into()],
            remove,
        }
    }

    #[test]
    fn a_tag_added_concurrently_with_its_removal_survives_and_an_observed_one_does_not() {
        let t = Team::new();
        let add = t.act(&t.alice, 1, &[], tag("loverboy", false));
        // Bob saw Alice's tag and removes it; at the same time Alice adds it
        // again (she had seen only her first), and tags mdt-overleg.
        let remove = t.act(&t.bob, 1, &[&add], tag("loverboy", true));
        let again = t.act(&t.alice, 2, &[&add], tag("loverboy", false));
        let other = t.act(&t.alice, 3, &[&again], tag("mdt-overleg", false));
        let all = vec![add.clone(), remove.clone(), again.clone(), other.clone()];
        let mut reversed = all.clone();
        reversed.reverse();
        for items in [all, reversed] {
            let case = fold(items);
            let tags: Vec<_> = case.tags.iter().cloned().collect();
            assert_eq!(tags, ["loverboy", "mdt-overleg"]);
            assert!(case.gaps.is_empty(), "{:?}", case.gaps);
        }
        // Without the concurrent re-add, the removal wins.
        let case = fold(vec![add, remove]);
        assert!(case.tags.is_empty());
    }

    #[test]
    fn concurrent_assignments_settle_on_the_same_person_whatever_the_arrival_order() {
        let t = Team::new();
        let a = t.act(
            &t.alice,
            1,
            &[],
            Action::Assign {
                to: Some("alice".into()),
            },
        );
        let b = t.act(
            &t.bob,
            1,
            &[],
            Action::Assign {
                to: Some("bob".into()),
            },
        );
        let first = fold(vec![a.clone(), b.clone()]).assigned;
        let second = fold(vec![b.clone(), a.clone()]).assigned;
        assert_eq!(first, second);
        // A later assignment that had seen both wins over both.
        let c = t.act(&t.alice, 2, &[&a, &b], Action::Assign { to: None });
        assert_eq!(fold(vec![c, b, a]).assigned, None);
    }

    #[test]
    fn a_dropped_event_in_the_middle_of_a_chain_is_reported_as_a_gap() {
        let t = Team::new();
        let one = t.act(&t.alice, 1, &[], Action::Note { text: "a".into() });
        let two = t.act(&t.alice, 2, &[&one], Action::Note { text: "b".into() });
        let three = t.act(&t.alice, 3, &[&two], Action::Note { text: "c".into() });
        let case = fold(vec![one.clone(), three.clone()]);
        assert_eq!(case.gaps.len(), 2, "{:?}", case.gaps);
        assert!(case.gaps.iter().all(|g| g.contains("dropped")));
        assert!(fold(vec![one, two, three]).gaps.is_empty());
    }

    #[test]
    fn an_event_signed_outside_the_roster_changes_nothing_and_is_listed_as_unverified() {
        let t = Team::new();
        let mallory = SigningIdentity::generate("alice").unwrap();
        let forged = t.act(
            &mallory,
            1,
            &[],
            Action::Assign {
                to: Some("bob".into()),
            },
        );
        let case = fold(vec![forged]);
        assert_eq!(case.assigned, None);
        assert_eq!(case.unverified(), 1);
        assert!(case.heads.is_empty(), "a forgery is never built upon");
    }
}
