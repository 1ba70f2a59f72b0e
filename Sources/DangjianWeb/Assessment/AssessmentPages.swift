import DangjianDomain
import DangjianStore

/// 考评验收: the overview (`assessment/index`) — schemes, rounds, my units to score, my unit's self-assessment.
struct AssessmentOverviewPage {
    struct VersionRow {
        var id: Int64
        var number: Int
        var note: String
        var rounds: Int
        var frozen = false
    }
    struct SchemeRow {
        var id: Int64
        var name: String
        var organisation: String
        var versions: [VersionRow]
    }
    struct RoundRow {
        var id: Int64
        var name: String
        var year: Int
        var organiser: String
        var phase: String
        var manage: Bool
    }
    struct UnitRow {
        var unitID: Int64
        var round: String
        var unit: String
        var state: String
        var phase: String
    }
    var error: String?
    var canManage: Bool
    var orgs: [SelectOption]
    var schemes: [SchemeRow]
    var hasSchemes: Bool
    var versionOptions: [SelectOption]
    /// The organisations a round may assess (none chosen: the organiser's direct sub-organisations).
    var unitChoices: [SelectOption]
    var rounds: [RoundRow]
    var hasRounds: Bool
    var myUnits: [UnitRow]
    var hasMyUnits: Bool
    var selfUnits: [UnitRow]
    var hasSelfUnits: Bool
    var year: Int
    /// The proposed timetable (忻州: data to 30 Sep, 考评验收 by 31 Oct).
    var proposed: AssessmentTimetableText
}

struct AssessmentTimetableText {
    var dataCutoff: String
    var selfOpens: String
    var selfCloses: String
    var siteOpens: String
    var siteCloses: String
    var approveBy: String

    init(_ t: AssessmentTimetable) {
        dataCutoff = t.dataCutoff.description
        selfOpens = t.selfOpens.description
        selfCloses = t.selfCloses.description
        siteOpens = t.siteOpens.description
        siteCloses = t.siteCloses.description
        approveBy = t.approveBy.description
    }
}

/// One version of a scheme, printable (`assessment/scheme`).
struct SchemePage {
    struct IndicatorRow {
        var code: String
        var name: String
        var max: String
        var method: String
        var source: String
        var guidance: String
        var evidence: String
        var categories: String
        var hasCategories = false
    }
    struct AspectRow {
        var code: String
        var name: String
        var max: String
        var indicators: [IndicatorRow]
    }
    struct ItemRow {
        var code: String
        var name: String
        var max: String
    }
    var id: Int64
    var name: String
    var number: Int
    var baseTotal: String
    var bonusCap: String
    var aspects: [AspectRow]
    var bonus: [ItemRow]
    var hasBonus: Bool
    var deductions: [ItemRow]
    var hasDeductions: Bool
    var vetoes: [ItemRow]
    var hasVetoes: Bool
    var note: String
    var rounds: Int
    var frozen = false
    var indicatorCount: Int
}

/// A round for its organiser (`assessment/round`): the progress board, the panel and assignments, automatic values.
struct RoundPage {
    struct UnitRow {
        var id: Int64
        var name: String
        var category: String
        var selfState: String
        var site: String
        var missing: String
        var quorum: Bool
        var auto: String
    }
    struct PanelRow {
        var name: String
        var username: String
        var duty: String
    }
    var error: String?
    var id: Int64
    var name: String
    var year: Int
    var organiser: String
    var schemeVersion: Int64
    var schemeName: String
    var timetable: AssessmentTimetableText
    var phase: String
    var isOpen: Bool
    var units: [UnitRow]
    var panel: [PanelRow]
    var hasPanel: Bool
    var unitOptions: [SelectOption]
    var assessorOptions: [SelectOption]
    var submitted: Int
    var expected: Int
    /// The scheme's bonus, deduction (not the platform's own) and veto items.
    var itemOptions: [SelectOption]
    var adjustments: [String]
}

/// An assessor's (or the unit's own) sheet on a phone (`assessment/sheet`).
struct SheetPage {
    struct EvidenceRow {
        var id: Int64
        var name: String
    }
    struct IndicatorRow {
        var code: String
        var label: String
        var method: String
        var guidance: String
        var value: String
        var note: String
        var verified: Bool
        var needsEvidence: Bool
        var evidenceNames: String
        var evidence: [EvidenceRow]
        var hasEvidence: Bool
        var selfScore: String
        var hasSelfScore: Bool
        var tiers: String
        var hasTiers = false
        var hasGuidance = false
    }
    struct AssessorRow {
        var userID: Int64
        var name: String
        var state: String
        var submitted: Bool
    }
    var errors: [String]
    var hasErrors: Bool
    var unitID: Int64
    var round: String
    var unit: String
    var stage: String
    var isSelf: Bool
    /// The indicators' fieldsets, written in Swift (`AssessmentSheetController.indicatorsHTML`, escaped): a sheet of
    /// 30 indicators through the template engine cost more than its queries.
    var indicatorsHTML: String
    /// The indicator choices of the evidence upload (self-assessment).
    var indicatorOptionsHTML: String
    var editable: Bool
    var lockedReason: String
    var version: Int64
    var state: String
    var total: String
    var window: String
    /// The unit's result after 综合审定 (self page only; EVAL-05: nothing before).
    var result: String
    var hasResult: Bool
    /// The chair's view of the unit's sheets, to reopen one with a reason.
    var isChair: Bool
    var assessors: [AssessorRow]
    var saved: Bool
}

/// The results (`assessment/results`): ranking overall and per category, every figure, the changes of 审定.
struct ResultsPage {
    struct Row {
        var rank: Int
        var categoryRank: Int
        var unitID: Int64
        var unit: String
        var category: String
        var site: String
        var auto: String
        var bonus: String
        var deduction: String
        var computed: String
        var final: String
        var grade: String
        var passed: Bool
        var sheets: String
        var note: String
    }
    struct ChangeRow {
        var what: String
        var unit: String
        var oldValue: String
        var newValue: String
        var reason: String
    }
    var error: String?
    var id: Int64
    var name: String
    var organiser: String
    var visible: Bool
    var publicity: Bool
    var approved: Bool
    var rows: [Row]
    var incomplete: String
    var hasIncomplete: Bool
    var changes: [ChangeRow]
    var hasChanges: Bool
    var chart: String
    var version: Int64
    var canApprove: Bool
    var grades: String
}
