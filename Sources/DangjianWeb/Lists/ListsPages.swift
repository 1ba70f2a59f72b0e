import DangjianDomain

/// A download link of an evidence file (台账佐证), with its size for the phone user.
struct EvidenceFileLink: Sendable {
    var id: Int64
    var name: String
    var size: String
}

/// A colour, a label and a count (the legends above boards and lists).
struct LegendItem: Sendable {
    var colour: String
    var label: String
    var count: Int
}

/// One entry of a ledger (台账): what was done, on which day, by whom, with its files.
struct LedgerEntryRow: Sendable {
    var date: String
    var text: String
    var evidence: String
    var by: String
    var files: [EvidenceFileLink]
}

/// 任务清单 (`lists/tasks`): the tasks assigned to the user's organisations with their deadline state (LIST-01/02).
struct TasksPage {
    var rows: [CampaignController.TaskRow]
    var hasRows: Bool
    var overdue: Int
    var dueSoon: Int
}

/// 创建活动 (`lists/campaigns`): the campaigns an office runs and the form for a new one.
struct CampaignsPage {
    struct Row {
        var id: Int64
        var name: String
        var year: Int
        var organisation: String
        var closed: String
    }

    var campaigns: [Row]
    var hasCampaigns: Bool
    var error: String?
    var orgs: [SelectOption]
    var year: Int
}

/// A campaign's board (`lists/campaign_board`): tasks × organisations with each cell's state.
struct CampaignBoardPage {
    struct Campaign {
        var id: Int64
        var name: String
        var year: Int
        var description: String
    }

    struct Column {
        var label: String
    }

    var campaign: Campaign
    var closed: String?
    var open: Bool
    var orgs: [Column]
    var rows: [CampaignController.BoardRow]
    var hasRows: Bool
    var legend: [LegendItem]
    var candidates: [SelectOption]
    var error: String?
    var dueSoonDays: Int
}

/// One organisation's task (`lists/task_detail`): claim, progress with evidence, completion, and its ledger.
struct TaskDetailPage {
    var id: Int64
    var campaign: String
    var category: String
    var title: String
    var deliverable: String
    var deadline: String
    var organisation: String
    var state: String
    var colour: String
    var status: String
    var warning: String?
    var owner: String
    var refinement: String
    var doneOn: String?
    var canClaim: Bool
    var canRecord: Bool
    var closed: String?
    var ledger: [LedgerEntryRow]
    var hasLedger: Bool
    var today: String
    var error: String?
    /// What was typed when the form was refused (issue 17 item 6): shown again, only the file must be chosen again.
    var typed: TypedTaskInput = TypedTaskInput()
    var chooseFileAgain: Bool = false
}

/// 责任清单 (`lists/duties`, LIST-09): every list in reach with its state and stars, the 责任书 signed, the templates.
struct DutiesPage {
    struct ListRow {
        var id: Int64
        var organisation: String
        var template: String
        var post: String
        var colour: String
        var state: String
        /// Twelve ★/☆, one per month.
        var stars: String
        var starCount: Int
        var warnings: Int
    }

    struct LetterRow {
        var organisation: String
        var title: String
        var signatory: String
        var signedOn: String
    }

    struct TemplateRow {
        var id: Int64
        var name: String
        var post: String
        var count: Int
        var types: String
        var items: [String]
    }

    var year: Int
    var error: String?
    var added: String?
    var lists: [ListRow]
    var hasLists: Bool
    var counts: [LegendItem]
    var letters: [LetterRow]
    var hasLetters: Bool
    var canManage: Bool
    var templates: [TemplateRow]
    var types: [SelectOption]
    var orgs: [SelectOption]
    var targets: [SelectOption]
    var today: String
}

/// One 责任清单 (`lists/duty_list`): its items by period, their state, and the records that fulfil them.
struct DutyListPage {
    struct Period {
        var label: String
        var colour: String
        var done: Int
    }

    struct Item {
        var title: String
        var cadence: String
        var times: String
        var periods: [Period]
    }

    struct Record {
        var date: String
        var item: String
        var text: String
        var evidence: String
        var by: String
        var files: [EvidenceFileLink]
    }

    var id: Int64
    var organisation: String
    var template: String
    var post: String
    var year: Int
    var colour: String
    var state: String
    var stars: String
    var starCount: Int
    var legend: String
    var warnings: [String]
    var hasWarnings: Bool
    var items: [Item]
    var options: [SelectOption]
    var records: [Record]
    var hasRecords: Bool
    var today: String
    var error: String?
}

/// 月通报 (`lists/ledger_report`): the month's and the year's figures, the chart and the ranking of units.
struct LedgerReportPage {
    struct Figure {
        var label: String
        var month: String
        var year: String
    }

    struct Cell {
        var label: String
        var value: String
    }

    struct Line {
        var cells: [Cell]
        var colour: String
    }

    var title: String
    var summary: String
    var org: Int64
    var code: String
    var chart: String
    var `public`: Bool
    var months: [SelectOption]
    var figures: [Figure]
    var lines: [Line]
    var hasLines: Bool
    var columns: [String]
}

/// A label and a count.
struct CountItem: Sendable {
    var label: String
    var count: Int
}

/// 问题清单 (`lists/problems`): the problems in reach by state with their deadline state, and the form for a new one.
struct ProblemsPage {
    var rows: [ProblemController.Row]
    var hasRows: Bool
    var org: Int64
    var error: String?
    var states: [SelectOption]
    var counts: [CountItem]
    var overdue: Int
    var canCreate: Bool
    var targets: [SelectOption]
    var today: String
    var sources: [SelectOption]
    /// The registration form as typed (after a refusal), else empty with today's date.
    var typed: TypedProblem
}

/// A problem registration as typed.
struct TypedProblem {
    var category: String
    var description: String
    var foundOn: String
    var deadline: String
}

/// One problem's rectification (`lists/problem_detail`, LIST-03/04/07/08): plan, progress, closure, acceptance, reopening.
struct ProblemDetailPage {
    struct Event {
        var date: String
        var action: String
        var text: String
        var state: String
        var by: String
        var files: [EvidenceFileLink]
    }

    var id: Int64
    var organisation: String
    var source: String
    var category: String
    var description: String
    var foundOn: String
    var deadline: String
    var state: String
    var colour: String
    var status: String
    var warning: String?
    var measures: String
    var responsible: String
    var closedOn: String?
    var canPlan: Bool
    var canProgress: Bool
    var canAccept: Bool
    var ownRectification: Bool
    var canReopen: Bool
    var events: [Event]
    var today: String
    var error: String?
}

/// A new 提醒函 (`lists/letter_new`) drafted from a visit's findings.
struct LetterDraftPage {
    struct ProblemRef {
        var id: Int64
    }

    var visit: Int64
    var organisation: Int64
    var issuer: Int64
    var recipient: String
    var issuingOrgan: String
    var body: String
    var problems: [ProblemRef]
    var count: Int
    var today: String
}

/// 督导检查 (`lists/supervision`): groups with their units, rounds, and the forms for new ones.
struct SupervisionPage {
    struct Group {
        var name: String
        var year: Int
        var members: String
        var units: String
        var count: Int
    }

    struct Round {
        var id: Int64
        var name: String
        var scheme: String
        var dates: String
    }

    var groups: [Group]
    var hasGroups: Bool
    var rounds: [Round]
    var hasRounds: Bool
    var canManage: Bool
    var targets: [SelectOption]
    var orgs: [SelectOption]
    var campaigns: [SelectOption]
    var year: Int
    var error: String?
}

/// One supervision round (`lists/supervision_round`): its visits, the findings' count and the visit form.
struct SupervisionRoundPage {
    struct Visit {
        var id: Int64
        var date: String
        var group: String
        var organisation: String
        var problems: Int
        var notes: String
        var mayIssue: Bool
    }

    var round: SupervisionPage.Round
    var visits: [Visit]
    var hasVisits: Bool
    var visitCount: Int
    var unitCount: Int
    var problemCount: Int
    var groups: [SelectOption]
    var units: [SelectOption]
    var canVisit: Bool
    var today: String
    var error: String?
}

/// 提醒函 (`lists/letters`): letters issued and received, to send and to acknowledge.
struct LettersPage {
    struct Row {
        var id: Int64
        var number: String
        var title: String
        var recipient: String
        var issuedOn: String
        var state: String
        var problems: Int
        var canSend: Bool
        var canAcknowledge: Bool
        var sentOn: String?
        var acknowledgedOn: String?
    }

    var rows: [Row]
    var hasRows: Bool
    var count: Int
    var today: String
    var error: String?
}

/// The task page's forms as typed (empty when the page is opened, the posted values after a refusal).
struct TypedTaskInput {
    var owner = ""
    var refinement = ""
    var date = ""
    var text = ""
    var evidence = ""
}
