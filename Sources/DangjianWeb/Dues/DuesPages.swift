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
}
