import DangjianDomain
import DangjianStore

// The forms of 三单一账 (slug `lists`), each parsed from the posted fields by `FormReader`; the rules themselves
// (LIST-01…09) are checked by the Domain and the Store when the handler makes its one store call.

/// POST /campaigns: a creation campaign (创建活动).
struct CampaignForm {
    var name: String
    /// Zero when not given (the Store refuses it with the rule).
    var year: Int
    var description: String
    var organisationID: Int64?

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        name = reader.text("name")
        year = reader.number("year", CalendarYear.self)?.value ?? 0
        description = reader.text("description")
        organisationID = reader.id("org")
        try reader.finish()
    }
}

/// POST /campaigns/{id}/tasks: a task of the 任务清单 and the units it is assigned to.
struct TaskForm {
    var category: String
    var title: String
    var deliverable: String
    var deadline: CivilDate
    var assignees: [Int64]

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        category = reader.text("category")
        title = reader.text("title")
        deliverable = reader.text("deliverable")
        let deadline = reader.date("deadline", "完成时限", example: "2026-06-30")
        assignees = reader.ids("assignees")
        try reader.finish()
        self.deadline = deadline ?? .earliest
    }
}

/// POST /tasks/{id}: claiming a task (认领), a ledger entry (台账) or 报完成.
struct TaskActionForm {
    enum Action: String { case claim, progress, complete }
    var action: Action
    /// The day the work was done; today when not given.
    var date: CivilDate?
    var refinement: String
    var owner: String
    var text: String
    var evidence: String

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        let action = reader.choice("action", Action.self)
        if action == nil { reader.problem("action", "未知的操作") }
        // An unreadable date of the entry falls back to today, as the page always did.
        date = CivilDate.parseLenient(reader.text("date"))
        refinement = reader.text("refinement")
        owner = reader.text("owner")
        text = reader.text("text")
        evidence = reader.text("evidence")
        try reader.finish()
        self.action = action ?? .progress
    }
}

/// POST /problems: a problem found by any source (问题清单).
struct ProblemForm {
    var draft: ProblemDraft

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        let found = reader.date("found_on", "发现日期", example: "2026-06-03")
        let deadline = reader.date("deadline", "整改时限", example: "2026-07-03")
        try reader.finish()
        draft = ProblemDraft(
            organisationID: reader.id("organisation") ?? 0, source: reader.choice("source", ProblemSource.self) ?? .other,
            category: reader.text("category"), description: reader.text("description"), foundOn: found ?? .earliest,
            deadline: deadline ?? .earliest)
    }
}

/// POST /problems/{id}: the next step of a problem's rectification loop (LIST-03/04/07/08).
struct ProblemActionForm {
    var action: ProblemAction
    /// The day of the step; today when not given.
    var date: CivilDate?

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        let text = reader.text("text")
        var action: ProblemAction?
        switch reader.text("action") {
        case "plan":
            if let deadline = reader.date("deadline", "整改时限", example: "2026-07-31") {
                action = .plan(measures: text, responsible: reader.text("responsible"), deadline: deadline)
            }
        case "progress": action = .progress(text)
        case "request_closure": action = .requestClosure(evidence: text)
        case "accept": action = .accept(opinion: text)
        case "reject": action = .reject(reason: text)
        case "reopen": action = .reopen(reason: text)
        default: reader.problem("action", "未知的操作")
        }
        try reader.finish()
        // An unreadable date of the step falls back to today, as the page always did.
        date = CivilDate.parseLenient(reader.text("date"))
        self.action = action ?? .progress(text)
    }
}

/// POST /supervision/rounds: a supervision round (督查轮次).
struct RoundForm {
    var name: String
    var scheme: String
    var startsOn: CivilDate
    var endsOn: CivilDate
    var campaignID: Int64?
    var organisationID: Int64?

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        name = reader.text("name")
        scheme = reader.text("scheme")
        let starts = reader.date("starts_on", "开始日期", example: "2026-06-03")
        let ends = reader.date("ends_on", "结束日期", example: "2026-06-30")
        campaignID = reader.id("campaign")
        organisationID = reader.id("org")
        try reader.finish()
        startsOn = starts ?? .earliest
        endsOn = ends ?? .earliest
    }
}

/// POST /supervision/rounds/{id}/visits: a visit of a group to a unit and its findings (one per line).
struct VisitForm {
    var groupID: Int64
    var organisationID: Int64
    var visitedOn: CivilDate
    var notes: String
    var findings: [FindingDraft]

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        let visited = reader.date("visited_on", "督导日期", example: "2026-06-03")
        let days = reader.number("deadline_days", DayCount.self)?.value ?? 30
        if !(1...365).contains(days) { reader.problem("deadline_days", "整改期限应为 1–365 天") }
        try reader.finish()
        visitedOn = visited ?? .earliest
        groupID = reader.id("group") ?? 0
        organisationID = reader.id("organisation") ?? 0
        notes = reader.text("notes")
        findings = Self.findings(reader.text("findings"), deadline: visitedOn.adding(days: days))
    }

    /// One finding per line: "类别：描述" (or "类别|描述"; without a separator the category is 其他).
    static func findings(_ text: String, deadline: CivilDate) -> [FindingDraft] {
        text.split(whereSeparator: \.isNewline).compactMap { raw in
            let line = raw.trimmed
            guard !line.isEmpty else { return nil }
            if let sep = line.firstIndex(where: { $0 == "：" || $0 == ":" || $0 == "|" || $0 == "｜" }),
                line.distance(from: line.startIndex, to: sep) <= 20
            {
                let category = line[..<sep].trimmed
                let description = line[line.index(after: sep)...].trimmed
                if !category.isEmpty { return FindingDraft(category: category, description: description, deadline: deadline) }
            }
            return FindingDraft(category: "其他", description: line, deadline: deadline)
        }
    }
}

/// POST /supervision/groups: a supervision group (督导组); members are "登录名 职责" lines, resolved by the handler.
struct GroupForm {
    var name: String
    /// The current year when not given.
    var year: Int?
    var organisationID: Int64?
    /// Each non-empty line of the members field: the login name and the duty (组长、组员 …).
    var memberLines: [(line: Int, username: String, duty: String)]
    var organisationIDs: [Int64]

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        name = reader.text("name")
        year = reader.number("year", CalendarYear.self)?.value
        organisationID = reader.id("org")
        // Numbered as the user sees them, blank lines included.
        memberLines = reader.text("members").split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().compactMap {
            i, line in
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "　" || $0 == "," || $0 == "，" }).map(String.init)
            guard let username = parts.first else { return nil }
            return (i + 1, username, parts.dropFirst().joined(separator: " "))
        }
        organisationIDs = reader.ids("organisations")
        try reader.finish()
    }
}

/// POST /letters: a reminder letter (提醒函) to a unit.
struct LetterForm {
    var draft: LetterDraft
    var issuerOrganisationID: Int64

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        let issued = reader.date("issued_on", "成文日期", example: "2026-06-03")
        try reader.finish()
        draft = LetterDraft(
            organisationID: reader.id("organisation") ?? 0, visitID: reader.id("visit"), problemIDs: reader.ids("problems"),
            title: reader.text("title"), recipient: reader.text("recipient"), body: reader.raw("body"),
            issuingOrgan: reader.text("issuing_organ"), issuedOn: issued ?? .earliest)
        issuerOrganisationID = reader.id("issuer") ?? 0
    }
}

/// POST /duties/templates: a duty-list template (履职清单模板), one item per line.
struct DutyTemplateForm {
    var name: String
    var post: String
    var appliesTo: [OrganisationType]
    var items: String
    var organisationID: Int64?

    init(_ form: FormData) throws(ValidationFailure) {
        let reader = FormReader(form)
        name = reader.text("name")
        post = reader.text("post")
        appliesTo = reader.choices("applies_to", OrganisationType.self)
        items = reader.raw("items")
        organisationID = reader.id("org")
        try reader.finish()
    }
}

/// POST /duties/letters: a responsibility letter (责任书) signed by a unit.
struct DutyLetterForm {
    var organisationID: Int64
    /// The year of the signing date when not given.
    var year: Int
    var title: String
    var signatory: String
    var signedOn: CivilDate
    var issuerOrganisationID: Int64?

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        let signed = reader.date("signed_on", "签订日期", example: "2026-02-20")
        let year = reader.number("year", CalendarYear.self)?.value
        try reader.finish()
        signedOn = signed ?? .earliest
        self.year = year ?? signedOn.year
        organisationID = reader.id("organisation") ?? 0
        title = reader.text("title")
        signatory = reader.text("signatory")
        issuerOrganisationID = reader.id("org")
    }
}

/// POST /duties/{id}/records: a record against a duty-list item (the duty's 台账).
struct DutyRecordForm {
    var itemID: Int64
    var date: CivilDate
    var text: String
    var evidence: String

    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        let date = reader.date("date", "完成日期", example: "2026-06-03")
        try reader.finish()
        self.date = date ?? .earliest
        itemID = reader.id("item") ?? 0
        text = reader.text("text")
        evidence = reader.text("evidence")
    }
}

/// POST /letters/{id}/sent and /acknowledge: the day of the step; today when not given or unreadable, as before.
struct LetterStepForm {
    var date: CivilDate?
    init(_ form: FormData) { date = CivilDate.parseLenient(FormReader(form).text("date")) }
}

/// POST /duties/templates/{id}/lists: the year the template's lists are made for; this year when not given.
struct DutyListsForm {
    var year: Int?
    init(_ form: FormData) throws(ValidationFailure) {
        var reader = FormReader(form)
        year = reader.number("year", CalendarYear.self)?.value
        try reader.finish()
    }
}
