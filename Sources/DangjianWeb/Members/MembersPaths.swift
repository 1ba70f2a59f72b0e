/// 党员名册's URLs that other capabilities link to, written once.
enum MembersPaths {
    static let roster = "/members"

    /// A member's record (`GET /members/{id}`).
    static func member(_ id: Int64) -> String { "/members/\(id)" }
}
