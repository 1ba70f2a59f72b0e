import Hummingbird
import DangjianDomain
import DangjianStore

/// 党员积分 in `/api/v1`: a member's account for a year (items, entries, total and stars), a branch's board, and the
/// recomputation of the automatic items. Points are strings with at most one decimal ("86.5") and integers of tenths.
struct PointsAPI {
    let services: AppServices

    struct LineDTO: Encodable {
        var item: String
        var item_name: String
        var count: Int
        var points: String
        var capped: Bool
    }

    struct EntryDTO: Encodable {
        var id: Int64
        var item: String
        var on: String
        var points: String
        var tenths: Int
        var note: String
        var automatic: Bool
        var state: String
    }

    struct AccountDTO: Encodable {
        var member_id: Int64
        var year: Int
        /// scored / vetoed / exempt.
        var standing: String
        var total: String?
        var stars: Int?
        var lines: [LineDTO]
        var entries: [EntryDTO]?
    }

    static func standing(_ a: PointAccount) -> String {
        switch a.standing {
        case .scored: "scored"
        case .vetoed: "vetoed"
        case .exempt: "exempt"
        }
    }

    static func dto(_ memberID: Int64, _ a: PointAccount, entries: [StoredPointEntry]?) -> AccountDTO {
        AccountDTO(
            member_id: memberID, year: a.year, standing: standing(a), total: a.total?.description, stars: a.stars,
            lines: a.lines.map {
                LineDTO(item: $0.item.rawValue, item_name: $0.item.displayName, count: $0.count, points: $0.counted.description, capped: $0.capped)
            },
            entries: entries?.map {
                EntryDTO(
                    id: $0.id, item: $0.entry.item.rawValue, on: $0.entry.on.description, points: $0.entry.points.description,
                    tenths: $0.entry.points.tenths,
                    note: $0.entry.note, automatic: $0.automatic, state: $0.state.rawValue)
            })
    }

    func addRoutes(to site: Site) {
        site.add(.get, "/api/v1/members/{id}/points", access: .permission(.membersRead), target: .member) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let year = try FormData.query(request).number("year", CalendarYear.self) ?? CalendarYear(of: CivilDate(date: services.clock.now()))
            let access = try JSONAPI.identity(context).principal.access(for: .membersRead)
            let (account, entries) = try await services.store.points.account(memberID: id, year: year.value, access: access)
            return try JSONAPI.encode(Self.dto(id, account, entries: entries))
        }
        site.add(.get, "/api/v1/points", access: .permission(.membersRead), target: .organisation) { request, context in
            let query = FormData.query(request)
            let access = try JSONAPI.identity(context).principal.access(for: .membersRead)
            let anchor = try await services.anchorID(query.int64("org"), access)
            let year = try query.number("year", CalendarYear.self) ?? CalendarYear(of: CivilDate(date: services.clock.now()))
            let board = try await services.store.points.board(organisationID: anchor, year: year.value, access: access)
            return try JSONAPI.encode(
                JSONAPI.Page(total: board.members.count, items: board.members.map { Self.dto($0.memberID, $0.account, entries: nil) }))
        }
        // {"org", "year"}: the automatic items recomputed for the subtree.
        site.add(.post, "/api/v1/points/recompute", access: .permission(.membersWrite), target: .organisation) { request, context in
            let body = try await request.decode(as: JSONAPI.FormBody.self, context: context)
            let access = try JSONAPI.identity(context).principal.access(for: .membersWrite)
            let anchor = try await services.anchorID(body.form.int64("org"), access)
            let year = try body.form.number("year", CalendarYear.self) ?? CalendarYear(of: CivilDate(date: services.clock.now()))
            let count = try await services.store.points.recompute(year: year.value, anchorID: anchor, access: access, actor: context.actor)
            struct Result: Encodable {
                var organisation_id: Int64
                var year: Int
                var automatic_entries: Int
            }
            return try JSONAPI.encode(Result(organisation_id: anchor, year: year.value, automatic_entries: count))
        }
    }
}
