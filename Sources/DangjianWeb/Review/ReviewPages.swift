import DangjianDomain
import DangjianStore

/// 述职评议: the overview (`review/index`) — rounds, my organisation's report lines, the form to open a round.
struct ReviewOverviewPage {
    struct RoundRow {
        var id: Int64
        var name: String
        var year: Int
        var kind: String
        var organiser: String
        var heldOn: String
        var state: String
        var manage: Bool
    }
    struct MineRow {
        var id: Int64
        var round: String
        var organisation: String
        var name: String
    }
    var error: String?
    var canManage: Bool
    var orgs: [SelectOption]
    var unitChoices: [SelectOption]
    var assessmentRounds: [SelectOption]
    var kinds: [SelectOption]
    var gradeSets: [SelectOption]
    var content: String
    var year: Int
    var heldOn: String
    var rounds: [RoundRow]
    var hasRounds: Bool
    var mine: [MineRow]
    var hasMine: Bool
}

/// The organiser's round page (`review/round`): reporters with their progress and results, the ballot session, codes,
/// the confirmation form.
struct ReviewRoundPage {
    struct ReporterRow {
        var id: Int64
        var organisation: String
        var name: String
        var mode: String
        var written: Bool
        var report: String
        var hasReport: Bool
        var commented: Bool
        var phone: Int
        var paper: Int
        var closed: Bool
        var ballot: String
        var satisfaction: String
        var assessment: String
        var combined: String
        var final: String
        var grade: String
        var reason: String
        var problems: Int
    }
    var error: String?
    var id: Int64
    var name: String
    var kind: String
    var organiser: String
    var heldOn: String
    var gradeSet: String
    var weights: String
    var content: [String]
    var state: String
    var isOpen: Bool
    var ballotOpen: Bool
    var unusedCodes: Int
    var version: Int64
    var reporters: [ReporterRow]
    var allClosed: Bool
}

/// One reporter (`review/reporter`): report, comment, tallies, inputs (REVIEW-08) and rectification.
struct ReviewReporterPage {
    struct GradeField {
        var index: Int
        var name: String
        var value: String
    }
    struct Issued {
        var kind: String
        var problemID: Int64
        var text: String
        var state: String
    }
    var error: String?
    var id: Int64
    var roundID: Int64
    var round: String
    var organisation: String
    var name: String
    var mode: String
    var organiser: Bool
    var isOpen: Bool
    var closed: Bool
    var confirmed: Bool
    var reportName: String
    var hasReport: Bool
    var covered: [String]
    var checklist: [SelectOption]
    var comment: String
    var hasComment: Bool
    var grades: [GradeField]
    var invalid: String
    var attendees: String
    var phone: String
    var tally: String
    var ballot: String
    var satisfaction: String
    var combined: String
    var final: String
    var grade: String
    var reason: String
    var inputs: [ReviewInputs.Line]
    var openProblems: [String]
    var hasOpenProblems: Bool
    var issued: [Issued]
    var hasIssued: Bool
    var defaultDeadline: String
    var modes: [SelectOption]
}

/// The attendee's phone ballot (`review/ballot`).
struct ReviewBallotPage {
    struct Line {
        var id: Int64
        var name: String
        var organisation: String
        var mode: String
        var grades: [SelectOption]
    }
    var token: String
    var round: String
    var lines: [Line]
    var hasLines: Bool
    var problem: String?
    var done: String?
    var voted: Bool
}

/// The QR pages: the session QR (`review/ballot_qr`) and the printable one-time codes (`review/codes`).
struct ReviewQRPage {
    struct Code {
        var number: Int
        var svg: String
        var url: String
    }
    var id: Int64
    var name: String
    var open: Bool
    var svg: String
    var url: String
    var expires: String
    var voters: Int
    var codes: [Code]
    var hasCodes: Bool
}
