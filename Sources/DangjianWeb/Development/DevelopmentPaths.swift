import Foundation

/// 发展党员's URLs, written once: the patterns its routes register, and the links its pages and redirects use
/// (templates print the links they are given, never a path of their own).
enum DevelopmentPaths {
    static let plan = "/development"
    static let forms = "/development/forms"
    static let voidForm = "/development/forms/void"
    static let annual = "/development/annual"
    static let annualSheet = "/development/annual.xlsx"
    static let export = "/development/export.xlsx"
    static let targets = "/development/targets"
    static let batch = "/development/batch"
    static let casePattern = "/development/{id}"
    static let documentPattern = "/development/{id}/documents/{kind}"
    static let materialsPattern = "/development/{id}/materials"
    static let materialPattern = "/development/{id}/materials/{attachment}"
    static let stepsPattern = "/development/{id}/steps"

    static func developmentCase(_ id: Int64) -> String { "/development/\(id)" }
    static func document(_ id: Int64, _ kind: String) -> String { "/development/\(id)/documents/\(kind)" }
    static func materials(_ id: Int64) -> String { "/development/\(id)/materials" }
    static func material(_ id: Int64, _ attachment: Int64) -> String { "/development/\(id)/materials/\(attachment)" }
    static func steps(_ id: Int64) -> String { "/development/\(id)/steps" }

    /// The plan of `org` (its own cases, or the whole subtree), after a batch of `batch` cases when given.
    static func plan(org: Int64, scope: String? = nil, batch: Int? = nil) -> String {
        plan + "?org=\(org)" + (scope.map { "&scope=\($0)" } ?? "") + (batch.map { "&batch=\($0)" } ?? "")
    }

    static func annual(org: Int64, year: Int? = nil) -> String { annual + "?org=\(org)" + (year.map { "&year=\($0)" } ?? "") }
    static func annualSheet(org: Int64, year: Int) -> String { annualSheet + "?org=\(org)&year=\(year)" }
    static func export(org: Int64, scope: String) -> String { export + "?org=\(org)&scope=\(scope)" }
}

/// The form targets every 发展党员 page may post to (`{{links.batch}}` …).
struct DevelopmentLinks {
    var plan = DevelopmentPaths.plan
    var forms = DevelopmentPaths.forms
    var voidForm = DevelopmentPaths.voidForm
    var targets = DevelopmentPaths.targets
    var batch = DevelopmentPaths.batch
}
