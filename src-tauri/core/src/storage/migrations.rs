//! The schema as an append-only list of migrations; `user_version` counts how many have run.
//!
//! Never edit or reorder an entry that has shipped: add a new one at the end.

/// Each entry upgrades the schema by one version; entry `i` takes `user_version` from `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: the project's metadata, the registration form and its milestones.
    "CREATE TABLE project_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;
    CREATE TABLE registration (
        id                        INTEGER PRIMARY KEY CHECK (id = 1),
        name                      TEXT NOT NULL DEFAULT '',
        background                TEXT NOT NULL DEFAULT '',
        initiating_department     TEXT NOT NULL DEFAULT '',
        collaborating_departments TEXT NOT NULL DEFAULT '[]',
        owner                     TEXT NOT NULL DEFAULT '',
        start_date                TEXT,
        end_date                  TEXT,
        core_goal                 TEXT NOT NULL DEFAULT '',
        key_deliverables          TEXT NOT NULL DEFAULT '',
        current_progress          TEXT NOT NULL DEFAULT '',
        risk_notes                TEXT NOT NULL DEFAULT '',
        suggested_departments     TEXT NOT NULL DEFAULT '[]',
        updated_at                TEXT NOT NULL
    ) STRICT;
    CREATE TABLE milestone (
        id       INTEGER PRIMARY KEY,
        position INTEGER NOT NULL,
        due_date TEXT,
        node     TEXT NOT NULL DEFAULT ''
    ) STRICT;",
    // 2: the initiating department head's review of the registration.
    "CREATE TABLE registration_review (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        reviewer    TEXT NOT NULL DEFAULT '',
        decision    TEXT NOT NULL DEFAULT 'pending'
                    CHECK (decision IN ('pending', 'approved', 'returned', 'rejected')),
        review_date TEXT,
        comment     TEXT NOT NULL DEFAULT '',
        updated_at  TEXT NOT NULL
    ) STRICT;",
    // 3: people, sign-off rounds and signatures, document locks, the hash-chained audit log. The
    // registration review moves onto sign-off: its reviewer becomes a person (a department head).
    "CREATE TABLE person (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        department TEXT NOT NULL DEFAULT '',
        role       TEXT NOT NULL DEFAULT 'member'
    ) STRICT;
    CREATE TABLE document_state (
        kind   TEXT NOT NULL,
        doc_id INTEGER NOT NULL,
        state  TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'in_signoff', 'signed')),
        PRIMARY KEY (kind, doc_id)
    ) STRICT;
    CREATE TABLE signoff_round (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL,
        doc_id      INTEGER NOT NULL,
        revision    INTEGER NOT NULL,
        mode        TEXT NOT NULL CHECK (mode IN ('all', 'any', 'sequence')),
        status      TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'approved', 'rejected', 'withdrawn')),
        content     TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        closed_at   TEXT,
        UNIQUE (kind, doc_id, revision)
    ) STRICT;
    CREATE TABLE signoff_signer (
        round_id  INTEGER NOT NULL REFERENCES signoff_round (id),
        position  INTEGER NOT NULL,
        person_id INTEGER NOT NULL REFERENCES person (id),
        PRIMARY KEY (round_id, person_id)
    ) STRICT;
    CREATE TABLE signature (
        id          INTEGER PRIMARY KEY,
        round_id    INTEGER NOT NULL REFERENCES signoff_round (id),
        person_id   INTEGER NOT NULL,
        name        TEXT NOT NULL,
        department  TEXT NOT NULL,
        role        TEXT NOT NULL,
        decision    TEXT NOT NULL
                    CHECK (decision IN ('approve', 'confirm', 'reject', 'request_correction')),
        comment     TEXT NOT NULL DEFAULT '',
        signed_at   TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        UNIQUE (round_id, person_id)
    ) STRICT;
    CREATE TABLE audit_log (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        actor     TEXT NOT NULL,
        record    TEXT NOT NULL,
        field     TEXT NOT NULL,
        before    TEXT,
        after     TEXT,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX audit_log_record ON audit_log (record, seq);
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:audit_log'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:audit_log'); END;
    CREATE TRIGGER signature_no_update BEFORE UPDATE ON signature
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:signature'); END;
    CREATE TRIGGER signature_no_delete BEFORE DELETE ON signature
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:signature'); END;
    CREATE TRIGGER signoff_round_closed BEFORE UPDATE ON signoff_round WHEN OLD.status <> 'open'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:signoff_round'); END;
    CREATE TRIGGER signoff_round_no_delete BEFORE DELETE ON signoff_round
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:signoff_round'); END;
    CREATE TRIGGER registration_locked BEFORE UPDATE ON registration
        WHEN (SELECT state FROM document_state WHERE kind = 'registration' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:registration:1'); END;
    CREATE TRIGGER milestone_locked_insert BEFORE INSERT ON milestone
        WHEN (SELECT state FROM document_state WHERE kind = 'registration' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:registration:1'); END;
    CREATE TRIGGER milestone_locked_update BEFORE UPDATE ON milestone
        WHEN (SELECT state FROM document_state WHERE kind = 'registration' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:registration:1'); END;
    CREATE TRIGGER milestone_locked_delete BEFORE DELETE ON milestone
        WHEN (SELECT state FROM document_state WHERE kind = 'registration' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:registration:1'); END;
    INSERT INTO document_state (kind, doc_id, state) VALUES ('registration', 1, 'draft');
    INSERT INTO person (name, department, role)
        SELECT r.reviewer, g.initiating_department, 'head'
        FROM registration_review r, registration g
        WHERE r.reviewer <> '' AND g.id = 1;
    DROP TABLE registration_review;",
    // 4: organization and plan. Departments carry their duties, deliverables and committed resources
    // (the responsibility matrix and the resource plan); people get a contact; the communication plan;
    // the working-day calendar's exceptions; the task tree (WBS) and its dependencies. The plan is
    // signed as one document ('plan', 1): its approved rounds are the published versions and their
    // frozen content is the baseline. While a round is open the plan's schedule is locked; progress
    // (status, percent, reason, suggestion) stays editable.
    "ALTER TABLE person ADD COLUMN contact TEXT NOT NULL DEFAULT '';
    CREATE TABLE department (
        id               INTEGER PRIMARY KEY,
        name             TEXT NOT NULL UNIQUE,
        position         INTEGER NOT NULL,
        duties           TEXT NOT NULL DEFAULT '',
        deliverables     TEXT NOT NULL DEFAULT '',
        delivery_date    TEXT,
        quality_standard TEXT NOT NULL DEFAULT '',
        res_people       INTEGER NOT NULL DEFAULT 0 CHECK (res_people >= 0),
        res_budget       INTEGER NOT NULL DEFAULT 0 CHECK (res_budget >= 0),
        res_material     TEXT NOT NULL DEFAULT '',
        res_gap          TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE TABLE comm_plan (
        id           INTEGER PRIMARY KEY,
        position     INTEGER NOT NULL,
        scenario     TEXT NOT NULL DEFAULT '',
        channel      TEXT NOT NULL DEFAULT '',
        participants TEXT NOT NULL DEFAULT '[]',
        recurrence   TEXT NOT NULL DEFAULT '{}',
        time_limit   INTEGER NOT NULL DEFAULT 30 CHECK (time_limit BETWEEN 0 AND 1440)
    ) STRICT;
    CREATE TABLE calendar_day (
        day  TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
        note TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE TABLE task (
        id                INTEGER PRIMARY KEY,
        parent_id         INTEGER REFERENCES task (id),
        position          INTEGER NOT NULL,
        name              TEXT NOT NULL DEFAULT '',
        lead_department   INTEGER REFERENCES department (id),
        collab_departments TEXT NOT NULL DEFAULT '[]',
        owner_id          INTEGER REFERENCES person (id),
        collaborators     TEXT NOT NULL DEFAULT '[]',
        start_date        TEXT,
        duration          INTEGER NOT NULL DEFAULT 1 CHECK (duration >= 0),
        buffer            INTEGER NOT NULL DEFAULT 0 CHECK (buffer >= 0),
        milestone         INTEGER NOT NULL DEFAULT 0 CHECK (milestone IN (0, 1)),
        delivery_standard TEXT NOT NULL DEFAULT '',
        resource_needs    TEXT NOT NULL DEFAULT '',
        risk_plan         TEXT NOT NULL DEFAULT '',
        status            TEXT NOT NULL DEFAULT 'not_started'
                          CHECK (status IN ('not_started', 'in_progress', 'done', 'blocked', 'needs_support')),
        status_reason     TEXT NOT NULL DEFAULT '',
        status_suggestion TEXT NOT NULL DEFAULT '',
        percent_done      INTEGER NOT NULL DEFAULT 0 CHECK (percent_done BETWEEN 0 AND 100)
    ) STRICT;
    CREATE INDEX task_parent ON task (parent_id, position);
    CREATE TABLE dependency (
        id             INTEGER PRIMARY KEY,
        predecessor_id INTEGER NOT NULL REFERENCES task (id),
        successor_id   INTEGER NOT NULL REFERENCES task (id),
        kind           TEXT NOT NULL DEFAULT 'fs' CHECK (kind IN ('fs', 'ss', 'ff')),
        lag            INTEGER NOT NULL DEFAULT 0,
        UNIQUE (predecessor_id, successor_id),
        CHECK (predecessor_id <> successor_id)
    ) STRICT;
    CREATE INDEX dependency_successor ON dependency (successor_id);
    CREATE TRIGGER task_locked_insert BEFORE INSERT ON task
        WHEN (SELECT state FROM document_state WHERE kind = 'plan' AND doc_id = 1) = 'in_signoff'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:plan:1'); END;
    CREATE TRIGGER task_locked_delete BEFORE DELETE ON task
        WHEN (SELECT state FROM document_state WHERE kind = 'plan' AND doc_id = 1) = 'in_signoff'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:plan:1'); END;
    CREATE TRIGGER task_locked_update
        BEFORE UPDATE OF parent_id, position, name, lead_department, collab_departments, owner_id,
            collaborators, start_date, duration, buffer, milestone, delivery_standard,
            resource_needs, risk_plan ON task
        WHEN (SELECT state FROM document_state WHERE kind = 'plan' AND doc_id = 1) = 'in_signoff'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:plan:1'); END;
    CREATE TRIGGER dependency_locked_insert BEFORE INSERT ON dependency
        WHEN (SELECT state FROM document_state WHERE kind = 'plan' AND doc_id = 1) = 'in_signoff'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:plan:1'); END;
    CREATE TRIGGER dependency_locked_update BEFORE UPDATE ON dependency
        WHEN (SELECT state FROM document_state WHERE kind = 'plan' AND doc_id = 1) = 'in_signoff'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:plan:1'); END;
    CREATE TRIGGER dependency_locked_delete BEFORE DELETE ON dependency
        WHEN (SELECT state FROM document_state WHERE kind = 'plan' AND doc_id = 1) = 'in_signoff'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:plan:1'); END;
    CREATE TRIGGER calendar_locked_insert BEFORE INSERT ON calendar_day
        WHEN (SELECT state FROM document_state WHERE kind = 'plan' AND doc_id = 1) = 'in_signoff'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:plan:1'); END;
    CREATE TRIGGER calendar_locked_update BEFORE UPDATE ON calendar_day
        WHEN (SELECT state FROM document_state WHERE kind = 'plan' AND doc_id = 1) = 'in_signoff'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:plan:1'); END;
    CREATE TRIGGER calendar_locked_delete BEFORE DELETE ON calendar_day
        WHEN (SELECT state FROM document_state WHERE kind = 'plan' AND doc_id = 1) = 'in_signoff'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:plan:1'); END;
    INSERT INTO document_state (kind, doc_id, state) VALUES ('plan', 1, 'draft');
    INSERT INTO department (name, position)
        SELECT DISTINCT department, 0 FROM person WHERE department <> '';",
    // 5: control. The risk register; the issue log with its three-level ladder and an event log
    // (meetings, escalations, solutions); change requests, signed as documents ('change_request', id)
    // and carrying the concrete plan edits they propose.
    "CREATE TABLE risk (
        id          INTEGER PRIMARY KEY,
        description TEXT NOT NULL,
        level       TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high')),
        owner_id    INTEGER REFERENCES person (id),
        measures    TEXT NOT NULL DEFAULT '',
        contingency TEXT NOT NULL DEFAULT '',
        raised_at   TEXT NOT NULL,
        status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        CHECK (level <> 'high' OR contingency <> '')
    ) STRICT;
    CREATE TABLE issue (
        id                INTEGER PRIMARY KEY,
        description       TEXT NOT NULL,
        impact            TEXT NOT NULL DEFAULT '',
        expected_solution TEXT NOT NULL DEFAULT '',
        raised_by         INTEGER REFERENCES person (id),
        raised_at         TEXT NOT NULL,
        scope             TEXT NOT NULL DEFAULT 'cross' CHECK (scope IN ('minor', 'cross')),
        ladder            INTEGER NOT NULL DEFAULT 1 CHECK (ladder BETWEEN 1 AND 3),
        ladder_since      TEXT NOT NULL,
        dispute           INTEGER NOT NULL DEFAULT 0 CHECK (dispute IN (0, 1)),
        meeting_at        TEXT,
        solution          TEXT NOT NULL DEFAULT '',
        solution_owner    INTEGER REFERENCES person (id),
        solution_deadline TEXT,
        solved_at         TEXT,
        closed_at         TEXT,
        decision          TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE TABLE change_request (
        id           INTEGER PRIMARY KEY,
        title        TEXT NOT NULL,
        aspects      TEXT NOT NULL DEFAULT '[]',
        reason       TEXT NOT NULL DEFAULT '',
        impact       TEXT NOT NULL DEFAULT '',
        alternatives TEXT NOT NULL DEFAULT '',
        edits        TEXT NOT NULL DEFAULT '[]',
        frozen       TEXT NOT NULL DEFAULT '',
        created_at   TEXT NOT NULL,
        applied_at   TEXT
    ) STRICT;
    CREATE TRIGGER change_request_locked BEFORE UPDATE OF title, aspects, reason, impact, alternatives, edits
        ON change_request
        WHEN (SELECT state FROM document_state WHERE kind = 'change_request' AND doc_id = OLD.id) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:change_request'); END;",
    // 6: meetings. The notice (time, form, place, attendees, agenda, background files kept in the
    // file), the minutes (topics and action items; signed as ('minutes', meeting id) by the
    // attendees, then locked), the follow-up log of action items, weekly progress reports and the log
    // of communications outside meetings.
    "CREATE TABLE meeting (
        id             INTEGER PRIMARY KEY,
        title          TEXT NOT NULL,
        starts_at      TEXT NOT NULL,
        duration       INTEGER NOT NULL DEFAULT 30 CHECK (duration BETWEEN 1 AND 1440),
        form           TEXT NOT NULL DEFAULT 'online' CHECK (form IN ('online', 'onsite')),
        place          TEXT NOT NULL DEFAULT '',
        kind           TEXT NOT NULL DEFAULT 'regular' CHECK (kind IN ('regular', 'kickoff')),
        comm_plan_id   INTEGER REFERENCES comm_plan (id),
        agenda         TEXT NOT NULL DEFAULT '[]',
        recorder_id    INTEGER REFERENCES person (id),
        notice_sent_at TEXT,
        minutes_sent_at TEXT,
        resources      TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE TABLE meeting_attendee (
        meeting_id INTEGER NOT NULL REFERENCES meeting (id),
        person_id  INTEGER NOT NULL REFERENCES person (id),
        PRIMARY KEY (meeting_id, person_id)
    ) STRICT;
    CREATE TABLE attachment (
        id         INTEGER PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meeting (id),
        name       TEXT NOT NULL,
        data       BLOB NOT NULL,
        added_at   TEXT NOT NULL
    ) STRICT;
    CREATE TABLE topic (
        id         INTEGER PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meeting (id),
        position   INTEGER NOT NULL,
        title      TEXT NOT NULL DEFAULT '',
        discussion TEXT NOT NULL DEFAULT '',
        result     TEXT NOT NULL DEFAULT '',
        disputes   TEXT NOT NULL DEFAULT '',
        settlement TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE TABLE comm_log (
        id           INTEGER PRIMARY KEY,
        day          TEXT NOT NULL,
        participants TEXT NOT NULL DEFAULT '[]',
        topic        TEXT NOT NULL,
        summary      TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE TABLE action_item (
        id          INTEGER PRIMARY KEY,
        meeting_id  INTEGER REFERENCES meeting (id),
        comm_log_id INTEGER REFERENCES comm_log (id),
        person_id   INTEGER REFERENCES person (id),
        department  TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL,
        standard    TEXT NOT NULL DEFAULT '',
        deadline    TEXT,
        due         TEXT,
        status      TEXT NOT NULL DEFAULT 'not_started'
                    CHECK (status IN ('not_started', 'in_progress', 'done', 'needs_support')),
        urgent      INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
        task_id     INTEGER REFERENCES task (id),
        created_at  TEXT NOT NULL
    ) STRICT;
    CREATE INDEX action_item_meeting ON action_item (meeting_id);
    CREATE TABLE follow_up (
        id         INTEGER PRIMARY KEY,
        action_id  INTEGER NOT NULL REFERENCES action_item (id),
        at         TEXT NOT NULL,
        progress   TEXT NOT NULL DEFAULT '',
        problem    TEXT NOT NULL DEFAULT '',
        adjustment TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE TABLE weekly_report (
        id         INTEGER PRIMARY KEY,
        person_id  INTEGER NOT NULL REFERENCES person (id),
        week       TEXT NOT NULL,
        task_id    INTEGER NOT NULL REFERENCES task (id),
        percent    INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
        problems   TEXT NOT NULL DEFAULT '',
        resources  TEXT NOT NULL DEFAULT '',
        sent_at    TEXT NOT NULL,
        UNIQUE (person_id, week, task_id)
    ) STRICT;
    CREATE TRIGGER topic_locked_insert BEFORE INSERT ON topic
        WHEN coalesce((SELECT state FROM document_state WHERE kind = 'minutes' AND doc_id = NEW.meeting_id), 'draft') <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:minutes'); END;
    CREATE TRIGGER topic_locked_update BEFORE UPDATE ON topic
        WHEN coalesce((SELECT state FROM document_state WHERE kind = 'minutes' AND doc_id = OLD.meeting_id), 'draft') <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:minutes'); END;
    CREATE TRIGGER topic_locked_delete BEFORE DELETE ON topic
        WHEN coalesce((SELECT state FROM document_state WHERE kind = 'minutes' AND doc_id = OLD.meeting_id), 'draft') <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:minutes'); END;
    CREATE TRIGGER action_locked_insert BEFORE INSERT ON action_item
        WHEN NEW.meeting_id IS NOT NULL
         AND coalesce((SELECT state FROM document_state WHERE kind = 'minutes' AND doc_id = NEW.meeting_id), 'draft') <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:minutes'); END;
    CREATE TRIGGER action_locked_update
        BEFORE UPDATE OF meeting_id, person_id, department, description, standard, deadline ON action_item
        WHEN OLD.meeting_id IS NOT NULL
         AND coalesce((SELECT state FROM document_state WHERE kind = 'minutes' AND doc_id = OLD.meeting_id), 'draft') <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:minutes'); END;
    CREATE TRIGGER action_locked_delete BEFORE DELETE ON action_item
        WHEN OLD.meeting_id IS NOT NULL
         AND coalesce((SELECT state FROM document_state WHERE kind = 'minutes' AND doc_id = OLD.meeting_id), 'draft') <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:minutes'); END;
    CREATE TRIGGER meeting_locked_update
        BEFORE UPDATE OF title, starts_at, duration, form, place, kind, agenda, recorder_id, resources ON meeting
        WHEN coalesce((SELECT state FROM document_state WHERE kind = 'minutes' AND doc_id = OLD.id), 'draft') <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:minutes'); END;
    CREATE TRIGGER attendee_locked_insert BEFORE INSERT ON meeting_attendee
        WHEN coalesce((SELECT state FROM document_state WHERE kind = 'minutes' AND doc_id = NEW.meeting_id), 'draft') <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:minutes'); END;
    CREATE TRIGGER attendee_locked_delete BEFORE DELETE ON meeting_attendee
        WHEN coalesce((SELECT state FROM document_state WHERE kind = 'minutes' AND doc_id = OLD.meeting_id), 'draft') <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:minutes'); END;
    CREATE TRIGGER follow_up_no_update BEFORE UPDATE ON follow_up
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:follow_up'); END;
    CREATE TRIGGER follow_up_no_delete BEFORE DELETE ON follow_up
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:follow_up'); END;",
    // 7: every exported PDF is recorded (what `liaison verify` compares a PDF with); the project
    // gets an identity that its PDFs carry.
    "CREATE TABLE document_export (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL,
        target      TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        sections    TEXT NOT NULL,
        lang        TEXT NOT NULL,
        file_name   TEXT NOT NULL,
        pages       INTEGER NOT NULL,
        exported_at TEXT NOT NULL,
        exported_by TEXT NOT NULL
    );
    CREATE INDEX document_export_fingerprint ON document_export (fingerprint);
    CREATE TRIGGER document_export_no_update BEFORE UPDATE ON document_export
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:document_export'); END;
    CREATE TRIGGER document_export_no_delete BEFORE DELETE ON document_export
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:document_export'); END;
    INSERT OR IGNORE INTO project_meta (key, value) VALUES ('project_id', lower(hex(randomblob(16))));",
    // 8: closing. Acceptance per task (result, verdict, evidence files kept in the file), the
    // departments' evaluation scores and the overall result, signed as ('acceptance', 1) by every
    // department head; the retrospective's entries, confirmed as ('retrospective', 1); a checklist
    // of improvements carried over from earlier projects. Signed documents are locked by triggers;
    // closing the project (`project_meta.closed_at`) locks every table (see `closed_guard`).
    "CREATE TABLE acceptance (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        overall    TEXT NOT NULL DEFAULT 'pending'
                   CHECK (overall IN ('pending', 'passed', 'conditional', 'failed')),
        conclusion TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE TABLE acceptance_item (
        task_id INTEGER PRIMARY KEY,
        result  TEXT NOT NULL DEFAULT '',
        verdict TEXT NOT NULL DEFAULT 'pending' CHECK (verdict IN ('pending', 'pass', 'fail'))
    ) STRICT;
    CREATE TABLE evidence (
        id       INTEGER PRIMARY KEY,
        task_id  INTEGER NOT NULL,
        name     TEXT NOT NULL,
        data     BLOB NOT NULL,
        sha256   TEXT NOT NULL,
        added_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX evidence_task ON evidence (task_id);
    CREATE TABLE evaluation (
        department_id INTEGER PRIMARY KEY REFERENCES department (id),
        goal          INTEGER CHECK (goal BETWEEN 0 AND 100),
        efficiency    INTEGER CHECK (efficiency BETWEEN 0 AND 100),
        communication INTEGER CHECK (communication BETWEEN 0 AND 100),
        comment       TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE TABLE retro_entry (
        id       INTEGER PRIMARY KEY,
        section  TEXT NOT NULL CHECK (section IN ('success', 'problem', 'improvement')),
        position INTEGER NOT NULL,
        text     TEXT NOT NULL DEFAULT '',
        cause    TEXT NOT NULL DEFAULT '',
        owner_id INTEGER REFERENCES person (id),
        carry    INTEGER NOT NULL DEFAULT 0 CHECK (carry IN (0, 1))
    ) STRICT;
    CREATE TABLE checklist_item (
        id       INTEGER PRIMARY KEY,
        position INTEGER NOT NULL,
        text     TEXT NOT NULL,
        owner    TEXT NOT NULL DEFAULT '',
        source   TEXT NOT NULL DEFAULT '',
        done     INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1))
    ) STRICT;
    CREATE TRIGGER acceptance_locked BEFORE UPDATE ON acceptance
        WHEN (SELECT state FROM document_state WHERE kind = 'acceptance' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:acceptance:1'); END;
    CREATE TRIGGER acceptance_item_locked_insert BEFORE INSERT ON acceptance_item
        WHEN (SELECT state FROM document_state WHERE kind = 'acceptance' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:acceptance:1'); END;
    CREATE TRIGGER acceptance_item_locked_update BEFORE UPDATE ON acceptance_item
        WHEN (SELECT state FROM document_state WHERE kind = 'acceptance' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:acceptance:1'); END;
    CREATE TRIGGER acceptance_item_locked_delete BEFORE DELETE ON acceptance_item
        WHEN (SELECT state FROM document_state WHERE kind = 'acceptance' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:acceptance:1'); END;
    CREATE TRIGGER evidence_locked_insert BEFORE INSERT ON evidence
        WHEN (SELECT state FROM document_state WHERE kind = 'acceptance' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:acceptance:1'); END;
    CREATE TRIGGER evidence_locked_update BEFORE UPDATE ON evidence
        WHEN (SELECT state FROM document_state WHERE kind = 'acceptance' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:acceptance:1'); END;
    CREATE TRIGGER evidence_locked_delete BEFORE DELETE ON evidence
        WHEN (SELECT state FROM document_state WHERE kind = 'acceptance' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:acceptance:1'); END;
    CREATE TRIGGER evaluation_locked_insert BEFORE INSERT ON evaluation
        WHEN (SELECT state FROM document_state WHERE kind = 'acceptance' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:acceptance:1'); END;
    CREATE TRIGGER evaluation_locked_update BEFORE UPDATE ON evaluation
        WHEN (SELECT state FROM document_state WHERE kind = 'acceptance' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:acceptance:1'); END;
    CREATE TRIGGER evaluation_locked_delete BEFORE DELETE ON evaluation
        WHEN (SELECT state FROM document_state WHERE kind = 'acceptance' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:acceptance:1'); END;
    CREATE TRIGGER retro_entry_locked_insert BEFORE INSERT ON retro_entry
        WHEN (SELECT state FROM document_state WHERE kind = 'retrospective' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:retrospective:1'); END;
    CREATE TRIGGER retro_entry_locked_update BEFORE UPDATE ON retro_entry
        WHEN (SELECT state FROM document_state WHERE kind = 'retrospective' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:retrospective:1'); END;
    CREATE TRIGGER retro_entry_locked_delete BEFORE DELETE ON retro_entry
        WHEN (SELECT state FROM document_state WHERE kind = 'retrospective' AND doc_id = 1) <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'liaison:locked:retrospective:1'); END;
    INSERT INTO acceptance (id) VALUES (1);
    INSERT INTO document_state (kind, doc_id, state) VALUES ('acceptance', 1, 'draft');
    INSERT INTO document_state (kind, doc_id, state) VALUES ('retrospective', 1, 'draft');",
    // 9: issue 15. The registration names an interface person (对接人) per department
    // (`contacts`: JSON [[department, person], …]); the acceptance report carries planned and
    // actual dates per task for every project whose acceptance was not yet under signature
    // (`acceptance_dates`), so reports signed before keep the content they were signed on.
    "ALTER TABLE registration ADD COLUMN contacts TEXT NOT NULL DEFAULT '[]';
    INSERT INTO project_meta (key, value) SELECT 'acceptance_dates', '1'
        WHERE NOT EXISTS (SELECT 1 FROM signoff_round WHERE kind = 'acceptance');",
    // 10: an exported PDF's SHA-256 and length, so that `verify` knows the file byte for byte (an
    // appended incremental update or a changed byte shows). Exports before this have neither.
    "ALTER TABLE document_export ADD COLUMN sha256 TEXT;
    ALTER TABLE document_export ADD COLUMN bytes INTEGER;",
    // 11: the flow from meeting to archive. An action item keeps the departments follow-ups added
    // (JSON list of names, besides its original one); a follow-up keeps when it happened (`at`,
    // back-dated at will) apart from when it was recorded, and one entry may cover several items
    // (`entry`: the id of the entry's first row). Closing records, for every piece of work still
    // open, whether it was withdrawn or carried over and why; the table has its closed guard.
    "ALTER TABLE action_item ADD COLUMN departments TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE follow_up ADD COLUMN recorded_at TEXT;
    ALTER TABLE follow_up ADD COLUMN entry INTEGER;
    UPDATE action_item SET departments = (
        SELECT json_group_array(d) FROM (
            SELECT substr(l.after, 1, instr(l.after, ' — ') - 1) AS d, min(l.seq) AS first
            FROM audit_log l
            WHERE l.record = 'action:' || action_item.id AND l.field = 'department_added'
              AND instr(l.after, ' — ') > 1
            GROUP BY d ORDER BY first))
    WHERE EXISTS (SELECT 1 FROM audit_log l WHERE l.record = 'action:' || action_item.id
                    AND l.field = 'department_added')
      AND NOT EXISTS (SELECT 1 FROM project_meta WHERE key = 'closed_at');
    CREATE TABLE closing_disposition (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('action', 'risk', 'issue', 'round', 'change')),
        record_id   INTEGER NOT NULL,
        disposition TEXT NOT NULL CHECK (disposition IN ('withdrawn', 'carried_over')),
        reason      TEXT NOT NULL CHECK (trim(reason) <> ''),
        decided_at  TEXT NOT NULL,
        decided_by  TEXT NOT NULL,
        UNIQUE (kind, record_id)
    ) STRICT;
    CREATE TRIGGER closing_disposition_closed_insert BEFORE INSERT ON closing_disposition
        WHEN EXISTS (SELECT 1 FROM project_meta WHERE key = 'closed_at')
        BEGIN SELECT RAISE(ABORT, 'liaison:closed'); END;
    CREATE TRIGGER closing_disposition_closed_update BEFORE UPDATE ON closing_disposition
        WHEN EXISTS (SELECT 1 FROM project_meta WHERE key = 'closed_at')
        BEGIN SELECT RAISE(ABORT, 'liaison:closed'); END;
    CREATE TRIGGER closing_disposition_closed_delete BEFORE DELETE ON closing_disposition
        WHEN EXISTS (SELECT 1 FROM project_meta WHERE key = 'closed_at')
        BEGIN SELECT RAISE(ABORT, 'liaison:closed'); END;",
    // 12: issue 17, every signer signs for themselves. A person's identity cards (public signing
    // keys) bound to them by the coordinator, one person per key; how each signature after this
    // was obtained: electronic (the signer's key: its fingerprint, the signed response and its
    // signature, which `check` verifies again), on paper (the scan of the signed PDF with its
    // SHA-256) or recorded by the coordinator on the signer's behalf. Both append-only, both with
    // their closed guard; a signature without a row here predates it and was recorded by the
    // coordinator. No foreign keys: removing a person keeps their bindings on record (as
    // signatures keep their signer), and `check` compares both tables with their audit entries.
    "CREATE TABLE person_key (
        id          INTEGER PRIMARY KEY,
        person_id   INTEGER NOT NULL,
        fingerprint TEXT NOT NULL UNIQUE,
        public_key  TEXT NOT NULL,
        card        TEXT NOT NULL,
        bound_at    TEXT NOT NULL,
        bound_by    TEXT NOT NULL
    ) STRICT;
    CREATE TABLE signature_method (
        signature_id    INTEGER PRIMARY KEY,
        method          TEXT NOT NULL CHECK (method IN ('electronic', 'paper', 'proxy')),
        recorded_by     TEXT NOT NULL,
        key_fingerprint TEXT,
        response        TEXT,
        key_signature   TEXT UNIQUE,
        scan_name       TEXT,
        scan            BLOB,
        scan_sha256     TEXT,
        CHECK ((method = 'electronic') = (key_fingerprint IS NOT NULL AND response IS NOT NULL
                                          AND key_signature IS NOT NULL)),
        CHECK ((method = 'paper') = (scan IS NOT NULL AND scan_sha256 IS NOT NULL))
    ) STRICT;
    CREATE TRIGGER person_key_no_update BEFORE UPDATE ON person_key
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:person_key'); END;
    CREATE TRIGGER person_key_no_delete BEFORE DELETE ON person_key
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:person_key'); END;
    CREATE TRIGGER signature_method_no_update BEFORE UPDATE ON signature_method
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:signature_method'); END;
    CREATE TRIGGER signature_method_no_delete BEFORE DELETE ON signature_method
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:signature_method'); END;
    CREATE TRIGGER person_key_closed_insert BEFORE INSERT ON person_key
        WHEN EXISTS (SELECT 1 FROM project_meta WHERE key = 'closed_at')
        BEGIN SELECT RAISE(ABORT, 'liaison:closed'); END;
    CREATE TRIGGER signature_method_closed_insert BEFORE INSERT ON signature_method
        WHEN EXISTS (SELECT 1 FROM project_meta WHERE key = 'closed_at')
        BEGIN SELECT RAISE(ABORT, 'liaison:closed'); END;",
    // 13: issue 18, reaching the participants. A meeting's notice carries a sequence number that
    // grows when its time or place changes after the notice went out, so calendars update the
    // invitation (iCalendar SEQUENCE); the project's group robot (DingTalk, Feishu/Lark or WeCom:
    // its webhook and, where the platform signs, the secret the group owner handed over; one per
    // project); every message sent (e-mail or robot post), one row per recipient with the
    // server's answer, append-only. Both tables carry their closed guard.
    "ALTER TABLE meeting ADD COLUMN notice_sequence INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE robot (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        kind     TEXT NOT NULL CHECK (kind IN ('dingtalk', 'feishu', 'wecom')),
        url      TEXT NOT NULL,
        secret   TEXT NOT NULL DEFAULT '',
        saved_at TEXT NOT NULL,
        saved_by TEXT NOT NULL
    ) STRICT;
    CREATE TABLE message (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('notice', 'minutes', 'request', 'reminder', 'robot')),
        record_kind TEXT NOT NULL,
        record_id   INTEGER,
        person_id   INTEGER,
        person_name TEXT NOT NULL DEFAULT '',
        address     TEXT NOT NULL,
        subject     TEXT NOT NULL,
        message_id  TEXT,
        sent_at     TEXT NOT NULL,
        sent_by     TEXT NOT NULL,
        result      TEXT NOT NULL CHECK (result IN ('ok', 'failed')),
        answer      TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE INDEX message_record ON message (record_kind, record_id);
    CREATE TRIGGER message_no_update BEFORE UPDATE ON message
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:message'); END;
    CREATE TRIGGER message_no_delete BEFORE DELETE ON message
        BEGIN SELECT RAISE(ABORT, 'liaison:append_only:message'); END;
    CREATE TRIGGER message_closed_insert BEFORE INSERT ON message
        WHEN EXISTS (SELECT 1 FROM project_meta WHERE key = 'closed_at')
        BEGIN SELECT RAISE(ABORT, 'liaison:closed'); END;
    CREATE TRIGGER robot_closed_insert BEFORE INSERT ON robot
        WHEN EXISTS (SELECT 1 FROM project_meta WHERE key = 'closed_at')
        BEGIN SELECT RAISE(ABORT, 'liaison:closed'); END;
    CREATE TRIGGER robot_closed_update BEFORE UPDATE ON robot
        WHEN EXISTS (SELECT 1 FROM project_meta WHERE key = 'closed_at')
        BEGIN SELECT RAISE(ABORT, 'liaison:closed'); END;
    CREATE TRIGGER robot_closed_delete BEFORE DELETE ON robot
        WHEN EXISTS (SELECT 1 FROM project_meta WHERE key = 'closed_at')
        BEGIN SELECT RAISE(ABORT, 'liaison:closed'); END;",
];

/// The schema version this build writes and reads.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

#[cfg(test)]
use super::migrate::TABLES;
pub use super::migrate::{closed_guard, expected_tables, migrate_to};

#[cfg(test)]
#[path = "migrations_tests.rs"]
mod tests;
