/// 党员积分 (slug `points`): the URL of every route it registers, written once.
enum PointsPaths {
    static let board = "/points"
    static let recompute = "/points/recompute"
    static let memberPattern = "/points/members/{id}"
    static let entriesPattern = "/points/members/{id}/entries"
    static let standingPattern = "/points/members/{id}/standing"
    static let decidePattern = "/points/entries/{id}/decide"
    static let mine = "/points/mine"

    static func board(org: Int64, year: Int, wall: Bool = false) -> String { "\(board)?org=\(org)&year=\(year)" + (wall ? "&wall=1" : "") }
    static func member(_ id: Int64, year: Int) -> String { "/points/members/\(id)?year=\(year)" }
    static func entries(_ id: Int64) -> String { "/points/members/\(id)/entries" }
    static func standing(_ id: Int64) -> String { "/points/members/\(id)/standing" }
    static func decide(_ entry: Int64) -> String { "/points/entries/\(entry)/decide" }
}
