/// 党员积分 pages' models (`templates/points/`).

/// A branch's 实时质量图 (`points/board`): names and stars; totals only off the wall.
struct PointsBoardPage {
    struct Row {
        var name: String
        var stars: String
        var total: String
        var href: String
    }

    var orgName: String
    var year: Int
    var wall: Bool
    var rows: [Row]
    var hasRows: Bool
    var wallHref: String
    var fullHref: String
    var recomputeAction: String
    var orgID: Int64
    var canWrite: Bool
    /// The wall's month ("截至2026年11月底"; empty: the year so far) and the months to choose.
    var asOf: String
    var months: [SelectOption]
    var notice: String
}

/// One member's account (`points/member`), also the member's own page.
struct PointsMemberPage {
    struct Line {
        var item: String
        var count: Int
        var points: String
        var note: String
    }

    struct Entry {
        var id: Int64
        var on: String
        var item: String
        var points: String
        var note: String
        var state: String
        var pending: Bool
        var decideAction: String
    }

    var name: String
    var year: Int
    var standing: String
    var base: String
    var lines: [Line]
    var entries: [Entry]
    var hasEntries: Bool
    var canWrite: Bool
    var manualAction: String
    var standingAction: String
    var items: [SelectOption]
    var errors: [String]
    var hasErrors: Bool
    var backHref: String
    var mine: Bool
}
