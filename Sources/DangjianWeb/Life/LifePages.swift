import DangjianDomain

/// An organisation as a page refers to it (breadcrumbs, links).
struct OrganisationRef: Sendable {
    var id: Int64
    var name: String
    /// The organisation's page and its 组织生活 year (stored, so templates see them).
    var href: String
    var meetingsHref: String

    init(id: Int64, name: String) {
        self.id = id
        self.name = name
        self.href = OrganisationsPaths.orgs(id)
        self.meetingsHref = LifePaths.orgsMeetings(id)
    }

    init(_ organisation: Organisation) {
        self.init(id: organisation.id, name: organisation.name)
    }
}

/// A member's side of sign-in by QR (`life/checkin`): the meeting to confirm, the result, or why it failed.
struct CheckinPage {
    var confirm = false
    var token: String?
    var organisation: String?
    var meeting: String?
    var heldOn: String?
    var done: String?
    var problem: String?
}

/// The organiser's side of sign-in by QR (`life/meeting_checkin`): the code, its expiry and who has signed in.
struct MeetingCheckinPage {
    var org: OrganisationRef
    var meetingID: Int64
    var title: String
    var topic: String
    var open: Bool
    var qr: String
    var url: String
    var expires: String
    var today: Bool
    var problem: String
    var hasProblem: Bool
    var lines: [CheckinController.LineRow]
    var present: Int
    var total: Int
}

/// 党员参加组织生活情况 (`life/participation`, DUES-13): attendance per member and who needs a person's attention.
struct ParticipationPage {
    var org: Int64
    var orgName: String
    var scope: String
    var onlyFlagged: Bool
    var review: Int
    var warning: Int
    var total: Int
    var hasRows: Bool
    var scopes: [SelectOption]
    var rows: [MeetingController.ParticipationRow]
}

/// An organisation's year of organisational life (`life/meetings`): twelve months' state and the meetings held.
struct MeetingsPage {
    var org: OrganisationRef
    var year: Int
    var previousYear: Int
    var nextYear: Int
    var showNext: Bool
    var months: [MeetingController.MonthCell]
    var stars: Int
    /// What the colours mean (`Standing.legend`), the same on every page that shows them.
    var legend: String
    var yearly: [MeetingController.YearlyItem]
    var meetings: [MeetingController.MeetingRow]
    var hasMeetings: Bool
    var canWrite: Bool
    var kinds: [SelectOption]
}

/// One meeting's record (`life/meeting_detail`): facts, attendance, votes.
struct MeetingDetailPage {
    struct Fact {
        var label: String
        var value: String
    }

    struct Attendance {
        var name: String
        var status: String
        var reason: String
        var absent: Bool
    }

    struct Vote {
        var motion: String
        var passed: Bool
        var explanation: String
    }

    var org: OrganisationRef
    var title: String
    var facts: [Fact]
    var attendance: [Attendance]
    var votes: [Vote]
    var hasVotes: Bool
    var evaluation: Bool
    var meetingID: Int64
    var canCheckin: Bool
    /// The record may be corrected or deleted by this user (not deleted, organisation in write scope).
    var canCorrect: Bool
    var correctHref: String
    var deleteHref: String
    /// Set when the record was deleted as entered by mistake.
    var deleted: Bool
    var deletedNote: String
    /// The versions corrections replaced, newest first (decision 0031).
    var revisions: [Revision]
    var hasRevisions: Bool

    struct Revision {
        var heading: String
        var reason: String
        var before: String
    }
}

/// 实时质量图 (`life/board`): the tiles for a wall screen, organisation names, colours and stars only.
struct ComplianceBoardPage {
    var today: String
    var year: Int
    var org: Int64
    var scope: String
    var red: Int
    var yellow: Int
    var green: Int
    var total: Int
    /// Written in Swift for speed (docs/performance.md).
    var tilesHTML: String
    var legend: String
}

/// 组织生活达标 (`life/compliance`): the roll-up of every organisation in the subtree.
struct ComplianceRollUpPage {
    var today: String
    var rules: String
    var org: Int64
    var scope: String
    var red: Int
    var yellow: Int
    var green: Int
    var total: Int
    /// Written in Swift for speed (docs/performance.md).
    var rowsHTML: String
    var onlyProblems: Bool
    var legend: String
    var scopes: [SelectOption]
}

/// Recording a meeting (`life/meeting_form`): the kind's fields, attendance from the roster and up to three votes.
struct MeetingFormPage {
    struct Vote {
        var i: Int
        var motion: String
        var entitled: String
        var present: String
        var `for`: String
        var against: String
        var abstain: String
        var writtenFor: String
        var writtenAgainst: String
    }

    var org: OrganisationRef
    var kinds: [SelectOption]
    var kindName: String
    var isLecture: Bool
    var isThemeDay: Bool
    var takesVotes: Bool
    var heldOn: String
    var place: String
    var host: String
    var recorder: String
    var topic: String
    var agenda: String
    var minutes: String
    var decisions: String
    var lecturer: String
    var themeItems: String
    var attendees: [MeetingController.AttendeeRow]
    var hasAttendees: Bool
    var fullCount: Int
    var votes: [Vote]
    var errors: [String]
    var hasErrors: Bool
    /// Where the form is sent: the organisation's meetings, or the record's correction.
    var action: String
    /// A correction (decision 0031): the kind stays, a reason is required, the version guards against a lost update.
    var correcting: Bool
    var kind: String
    var version: String
    var reason: String
}

/// 组织生活月报/季报 (`life/compliance_report`): the period's rates by requirement and group, and the organisations
/// that fell short.
struct ComplianceReportPage {
    var title: String
    var summary: String
    var final: Bool
    var asOf: String
    var rules: String
    var org: Int64
    var query: String
    var showAll: Bool
    var chart: String
    var hasRequirements: Bool
    var periods: [SelectOption]
    var scopes: [SelectOption]
    var groups: [ComplianceReportController.GroupRow]
    var hasGroups: Bool
    var requirements: [ComplianceReportController.RequirementRow]
    var rows: [ComplianceReportController.OrganisationRow]
    var legend: String = Standing.legend
}

/// 民主评议党员 (`life/evaluation`, LIFE-08): one card per member with self-evaluation, peer votes and the grade.
struct EvaluationPage {
    struct Count {
        var label: String
        var count: Int
        var colour: String
    }

    var org: OrganisationRef
    var meetingID: Int64
    var meetingTitle: String
    var year: Int
    var final: Bool
    var editable: Bool
    var stored: Bool
    var version: Int64
    var ballots: Int
    var cards: [EvaluationController.MemberCard]
    var graded: Int
    var limit: String
    var share: String
    var counts: [Count]
    var errors: [String]
    var hasErrors: Bool
    var saved: Bool
}
