import DangjianDomain

/// 党费 pages' models (`templates/dues/`).

/// A branch's dues sheet for a year (`dues/sheet`).
struct DuesSheetPage {
    struct Line {
        var memberID: Int64
        var name: String
        var probationary: Bool
        var category: String
        var base: String
        var monthly: String
        var set: Bool
        var saved: Bool
        var editHref: String
    }

    struct Child {
        var name: String
        var href: String
    }

    var orgName: String
    var year: Int
    var previousYear: String
    var nextYear: String
    /// The rows written in Swift (`DuesController.rowsHTML`): a branch sheet is the page a secretary opens every
    /// month, and through the template engine its rows cost more than the query (docs/performance.md).
    var rowsHTML: String
    var hasLines: Bool
    var summary: String
    var savedNotice: String
    var canWrite: Bool
    var importHref: String
    var collectionHref: String
    var children: [Child]
    var hasChildren: Bool
}

/// Setting one member's base for a year (`dues/member`).
struct DuesMemberPage {
    var name: String
    var orgName: String
    var sheetHref: String
    var action: String
    var year: Int
    var categories: [SelectOption]
    var base: String
    var version: Int64
    var current: String
    var errors: [String]
    var hasErrors: Bool
    var rates: [String]
    /// DUES-09: the year's mid-year changes, and whether the rule book allows a new one.
    var changes: [String] = []
    var midyear: Bool = false
    var midyearRule: String = ""
    var changeAction: String = ""
}

/// A branch's collection sheet for a month (`dues/collection`).
struct DuesCollectionPage {
    struct Child {
        var name: String
        var href: String
    }

    var orgName: String
    var month: String
    var previous: String
    var next: String
    var basesHref: String
    var summary: String
    /// Members on the roster without a base for the year.
    var unset: Int
    /// Written in Swift (`DuesCollectionController.rowsHTML`), like the base sheet's rows.
    var rowsHTML: String
    var hasLines: Bool
    var savedNotice: String
    var children: [Child]
    var hasChildren: Bool
}

/// A member's entries and the payment form (`dues/payments`).
struct DuesPaymentsPage {
    struct Entry {
        var receipt: String
        var paidOn: String
        var kind: String
        var months: String
        var amount: String
        var method: String
        var note: String
        var receiptHref: String
        var reverseAction: String
        var canReverse: Bool
    }

    var name: String
    var orgName: String
    var collectionHref: String
    var basesHref: String
    var action: String
    var monthly: String
    var paidUpTo: String
    var arrears: String
    var arrearsColour: String
    var kinds: [SelectOption]
    var methods: [SelectOption]
    var from: String
    var count: String
    var amount: String
    var paidOn: String
    var branchConsent: Bool
    var errors: [String]
    var hasErrors: Bool
    var savedNotice: String
    var savedReceipt: String
    var entries: [Entry]
    var hasEntries: Bool
    var rules: [String]
    var reductions: [DuesReductionLine]
    var hasReductions: Bool
    var reductionAction: String
    /// 自行脱党审查: the runs of months without dues and without organisational life, the cases, and whether one
    /// may be opened now.
    var lapseGrounds: String = ""
    var lapseColour: String = ""
    var lapseCases: [DuesLapseCaseLine] = []
    var canOpenLapse: Bool = false
    var lapseAction: String = ""
}

/// One 少交/免交 application with the steps that can follow (payments page and the committee's list).
struct DuesReductionLine {
    struct Step {
        var value: String
        var label: String
    }

    var id: Int64
    var name: String
    var summary: String
    var state: String
    var colour: String
    var history: [String]
    var action: String
    var version: Int64
    var steps: [Step]
    var hasSteps: Bool
    var paymentsHref: String

    init(_ r: DuesReduction, name: String) {
        id = r.id
        self.name = name
        summary = r.summary
        state = r.state.displayName
        colour = r.state == .approved ? "green" : r.state == .rejected ? "grey" : "yellow"
        history = r.history
        action = DuesPaths.decide(r.id)
        version = r.version
        steps = DuesReductionAction.allCases.filter { $0.requires == r.state }.map { Step(value: $0.rawValue, label: $0.displayName) }
        hasSteps = !steps.isEmpty
        paymentsHref = DuesPaths.payments(r.memberID)
    }
}

/// The applications waiting in a subtree (`dues/reductions`).
struct DuesReductionsPage {
    var orgName: String
    var orgID: Int64
    var lines: [DuesReductionLine]
    var hasLines: Bool
}

/// A printable receipt (`dues/receipt`).
struct DuesReceiptPage {
    struct Line {
        var label: String
        var value: String
    }

    var lines: [Line]
    var backHref: String
    var docxHref: String
}

/// The signed-in member's own dues (`dues/mine`).
struct DuesMinePage {
    struct Month {
        var label: String
        var state: String
        var colour: String
    }

    struct Entry {
        var paidOn: String
        var kind: String
        var months: String
        var amount: String
        var receipt: String
    }

    var linked: Bool
    var name: String
    var monthly: String
    var paidUpTo: String
    var arrears: String
    var year: Int
    var months: [Month]
    var entries: [Entry]
    var hasEntries: Bool
    /// DUES-12: last year's collection and use of the member's branch (totals only).
    var publication: DuesPublicationPage? = nil

    static let unlinked = DuesMinePage(
        linked: false, name: "", monthly: "", paidUpTo: "", arrears: "", year: 0, months: [], entries: [], hasEntries: false)
}

/// The payroll import and its preview (`dues/import`).
struct DuesPayrollPage {
    struct Problem {
        var row: Int
        var column: String
        var message: String
    }

    struct Line {
        var row: Int
        var name: String
        var id: String
        var category: String
        var explanation: String
        var monthly: String
        var lastYear: String
        var change: String
        var action: String
    }

    var orgID: Int64
    var orgName: String
    var year: Int
    var sheetHref: String
    var action: String
    var hasReport: Bool
    var committed: Bool
    var alreadyCommitted: Bool
    var jobID: Int64
    var commitAction: String
    var fileName: String
    var headerRow: Int
    var recognised: String
    var ignored: String
    var fileProblems: [String]
    var creates: Int
    var updates: Int
    var unchanged: Int
    var invalid: Int
    var raised: Int
    var lowered: Int
    var canCommit: Bool
    var problems: [Problem]
    var hasProblems: Bool
    var lines: [Line]
    var moreLines: Int
    var error: String
    var templateHref: String
    var exclusions: String
}

/// A month's 党费 report across a subtree (`dues/report`).
struct DuesReportPage {
    var title: String
    var month: String
    var previous: String
    var next: String
    var xlsx: String
    var header: [String]
    /// The table's rows written in Swift from the same rows as the .xlsx summary sheet.
    var rowsHTML: String
    var summary: String
}

/// 党费账目 (`dues/ledger`): an organisation's year by period, the organisations below, the use, the entry form and
/// the entries.
struct DuesAccountPage {
    struct ByLink {
        var label: String
        var href: String
        var current: Bool
    }

    struct Child {
        var name: String
        var due: String
        var remitted: String
        var difference: String
        /// Remitted less than due.
        var short: Bool
        var href: String
    }

    struct Use {
        var name: String
        var amount: String
    }

    struct Entry {
        var date: String
        var kind: String
        var detail: String
        var amount: String
        var voucher: String
        var canReverse: Bool
        var reversed: Bool
        var reverseAction: String
    }

    var title: String
    var orgID: Int64
    var year: Int
    var previous: String
    var next: String
    var rule: String
    var cash: String
    var header: [String]
    /// The table's rows written in Swift from the same rows as the .xlsx first sheet.
    var rowsHTML: String
    var reconciliation: String
    var balances: Bool
    var byLinks: [ByLink]
    var xlsx: String
    var publication: String
    var children: [Child]
    var hasChildren: Bool
    var uses: [Use]
    var canWrite: Bool
    var action: String
    var kinds: [SelectOption]
    var periods: [SelectOption]
    var categories: [SelectOption]
    var amount: String
    var date: String
    var voucher: String
    var note: String
    var errors: [String]
    var hasErrors: Bool
    var saved: Bool
    var entries: [Entry]
    var hasEntries: Bool
}

/// 党费收缴、使用情况公示 (`dues/publication`, DUES-12): the year's totals, no member named.
struct DuesPublicationPage {
    struct Line {
        var label: String
        var amount: String
    }

    var title: String
    var lines: [Line]
    var note: String
}

/// One 自行脱党审查 case on a member's dues page: its state and history and the form for its next step.
struct DuesLapseCaseLine {
    var title: String
    var state: String
    var colour: String
    var history: [String]
    var hasSteps: Bool
    var steps: [SelectOption]
    var outcomes: [SelectOption]
    var version: Int64
    var action: String
    var today: String

    init(_ c: LapseCase, today: CivilDate) {
        title = "\(c.openedOn) 立案：\(c.grounds)" + (c.deadline.map { "；改正期限 \($0)" } ?? "")
        state = c.state.displayName + (c.outcome.map { "：\($0.displayName)" } ?? "")
        colour = c.state == .decided ? "grey" : (c.deadline.map { $0 < today } ?? false) ? "red" : "yellow"
        history = c.history
        hasSteps = !c.nextSteps.isEmpty
        steps = c.nextSteps.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: false) }
        outcomes = LapseCaseOutcome.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: false) }
        version = c.version
        action = DuesPaths.lapseStep(c.id)
        self.today = today.description
    }
}
