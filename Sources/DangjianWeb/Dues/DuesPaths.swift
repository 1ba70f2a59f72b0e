import DangjianDomain

/// 党费 (slug `dues`): the URL of every route it registers, written once (route registration, redirects and page
/// models read these).
enum DuesPaths {
    static let dues = "/dues"
    static let membersPattern = "/dues/members/{id}"
    static let collection = "/dues/collection"
    static let paymentsPattern = "/dues/members/{id}/payments"
    static let reversePattern = "/dues/payments/{id}/reverse"
    static let receiptPattern = "/dues/payments/{id}/receipt"
    static let mine = "/dues/mine"
    static let reductionsPattern = "/dues/members/{id}/reductions"
    static let reductions = "/dues/reductions"
    static let decidePattern = "/dues/reductions/{id}/decide"
    static let report = "/dues/report"
    static let payrollImport = "/dues/import"
    static let payrollTemplate = "/dues/import/template.xlsx"
    static let payrollCommitPattern = "/dues/import/{job}/commit"
    static let changesPattern = "/dues/members/{id}/changes"
    static let lapsePattern = "/dues/members/{id}/lapse"
    static let lapseStepPattern = "/dues/lapse/{id}/steps"
    static let ledger = "/dues/ledger"
    static let ledgerEntriesPath = "/dues/ledger/entries"
    static let ledgerReversePattern = "/dues/ledger/entries/{id}/reverse"
    static let ledgerPublication = "/dues/ledger/publication"

    /// A branch's sheet for a year; `saved`: the member whose base was just set (shown, and scrolled to).
    static func sheet(org: Int64, year: Int, saved: Int64? = nil) -> String {
        "/dues?org=\(org)&year=\(year)" + (saved.map { "&saved=\($0)#m\($0)" } ?? "")
    }

    static func member(_ id: Int64, year: Int) -> String { "/dues/members/\(id)?year=\(year)" }
    static func memberAction(_ id: Int64) -> String { "/dues/members/\(id)" }

    /// A branch's collection sheet for a month; `saved`: the member whose payment was just recorded.
    static func collection(org: Int64, month: String, saved: Int64? = nil) -> String {
        "\(collection)?org=\(org)&month=\(month)" + (saved.map { "&saved=\($0)#m\($0)" } ?? "")
    }

    static func payments(_ member: Int64, saved: Int64? = nil) -> String {
        "/dues/members/\(member)/payments" + (saved.map { "?saved=\($0)" } ?? "")
    }

    static func reverse(_ payment: Int64) -> String { "/dues/payments/\(payment)/reverse" }
    static func receipt(_ payment: Int64, docx: Bool = false) -> String { "/dues/payments/\(payment)/receipt" + (docx ? "?format=docx" : "") }

    static func payrollImport(org: Int64, year: Int) -> String { "\(payrollImport)?org=\(org)&year=\(year)" }
    static func payrollCommit(_ job: Int64) -> String { "/dues/import/\(job)/commit" }
    static func reductions(member: Int64) -> String { "/dues/members/\(member)/reductions" }
    static func reductions(org: Int64) -> String { "\(reductions)?org=\(org)" }
    static func decide(_ reduction: Int64) -> String { "/dues/reductions/\(reduction)/decide" }
    static func report(org: Int64, month: String) -> String { "\(report)?org=\(org)&month=\(month)" }

    /// An organisation's account for a year, by its own periods or by `by`.
    static func ledger(org: Int64, year: Int, by: DuesRemitPeriod? = nil) -> String {
        "\(ledger)?org=\(org)&year=\(year)" + (by.map { "&by=\($0.rawValue)" } ?? "")
    }

    static func ledgerEntries(org: Int64, year: Int) -> String { "\(ledgerEntriesPath)?org=\(org)&year=\(year)" }
    static func ledgerReverse(_ entry: Int64) -> String { "/dues/ledger/entries/\(entry)/reverse" }
    static func ledgerPublication(org: Int64, year: Int) -> String { "\(ledgerPublication)?org=\(org)&year=\(year)" }
    static func lapse(member: Int64) -> String { "/dues/members/\(member)/lapse" }
    static func lapseStep(_ id: Int64) -> String { "/dues/lapse/\(id)/steps" }
    static func changes(_ member: Int64) -> String { "/dues/members/\(member)/changes" }
}
