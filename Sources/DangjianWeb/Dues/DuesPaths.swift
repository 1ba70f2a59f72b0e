/// 党费 (slug `dues`): the URL of every route it registers, written once (route registration, redirects and page
/// models read these).
enum DuesPaths {
    static let dues = "/dues"
    static let membersPattern = "/dues/members/{id}"

    /// A branch's sheet for a year; `saved`: the member whose base was just set (shown, and scrolled to).
    static func sheet(org: Int64, year: Int, saved: Int64? = nil) -> String {
        "/dues?org=\(org)&year=\(year)" + (saved.map { "&saved=\($0)#m\($0)" } ?? "")
    }

    static func member(_ id: Int64, year: Int) -> String { "/dues/members/\(id)?year=\(year)" }
    static func memberAction(_ id: Int64) -> String { "/dues/members/\(id)" }
}
