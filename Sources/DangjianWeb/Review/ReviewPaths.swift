/// 述职评议 (slug `review`): the URL of every route it registers, written once.
enum ReviewPaths {
    static let overview = "/review"
    static let rounds = "/review/rounds"
    static let roundPattern = "/review/rounds/{id}"
    static let ballotSessionPattern = "/review/rounds/{id}/ballot"
    static let ballotSessionClosePattern = "/review/rounds/{id}/ballot/close"
    static let codesPattern = "/review/rounds/{id}/codes"
    static let confirmPattern = "/review/rounds/{id}/confirm"
    static let reporterPattern = "/review/reporters/{id}"
    static let modePattern = "/review/reporters/{id}/mode"
    static let reportPattern = "/review/reporters/{id}/report"
    static let commentPattern = "/review/reporters/{id}/comment"
    static let tallyPattern = "/review/reporters/{id}/tally"
    static let closePattern = "/review/reporters/{id}/close"
    static let rectifyPattern = "/review/reporters/{id}/rectify"
    static let ballotPattern = "/review/ballot/{token}"

    static func round(_ id: Int64) -> String { "/review/rounds/\(id)" }
    static func ballotSession(_ id: Int64) -> String { "/review/rounds/\(id)/ballot" }
    static func codes(_ id: Int64) -> String { "/review/rounds/\(id)/codes" }
    static func reporter(_ id: Int64) -> String { "/review/reporters/\(id)" }
    static func report(_ id: Int64) -> String { "/review/reporters/\(id)/report" }
    static func ballot(_ token: String) -> String { "/review/ballot/\(token)" }
}
