import Hummingbird
import DangjianDomain
import DangjianStore

/// 述职评议 in `/api/v1`: a round with every reporter's tally and result (the organiser only), and the paper tally
/// written from another system — checked as the page checks it (REVIEW-05: the counts must add up to the attendees).
/// Scores are strings with two decimals ("92.50").
struct ReviewAPI {
    let services: AppServices
    var review: ReviewRepository { services.store.review }

    struct ReporterDTO: Encodable {
        var id: Int64
        var organisation_id: Int64
        var organisation: String
        var name: String
        var mode: String
        var report_uploaded: Bool
        var commented: Bool
        var closed: Bool
        var tally: [Int]?
        var invalid: Int?
        var ballot: String?
        var satisfaction: String?
        var assessment: String?
        var combined: String?
        var final: String?
        var grade: String?
        var adjust_reason: String?
    }

    struct RoundDTO: Encodable {
        var id: Int64
        var name: String
        var year: Int
        var kind: String
        var held_on: String
        var grades: [String]
        var ballot_percent: Int
        var assessment_percent: Int
        var state: String
        var version: Int64
        var reporters: [ReporterDTO]
    }

    func addRoutes(to site: Site) {
        site.add(.get, "/api/v1/review/rounds/{id}", access: .permission(.ledgerManage), target: .reviewRound) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let (round, reporters) = try await review.round(id, access: try JSONAPI.identity(context).principal.access(for: .ledgerManage))
            return try JSONAPI.encode(Self.dto(round, reporters))
        }
        // {"count_0": 28, "count_1": 9, "count_2": 3, "count_3": 0, "invalid": 0, "attendees": 40}
        site.add(.post, "/api/v1/review/reporters/{id}/tally", access: .permission(.ledgerManage), target: .reviewReporter) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let access = try JSONAPI.identity(context).principal.access(for: .ledgerManage)
            try await review.requireOrganised(reporterID: id, access: access)
            guard let found = try await review.reporter(id, access: access, unitAccess: access) else {
                throw RecordNotFound(objectType: "review_reporter", objectID: String(id))
            }
            let body = try await request.decode(as: JSONAPI.FormBody.self, context: context)
            let form = try ReviewTallyForm(body.form, grades: found.round.gradeSet.gradeSet.grades.count)
            try await review.recordPaperTally(reporterID: id, tally: form.tally, attendees: form.attendees, access: access, actor: context.actor)
            let (round, reporters) = try await review.round(found.round.id, access: access)
            return try JSONAPI.encode(Self.dto(round, reporters))
        }
    }

    static func dto(_ round: ReviewRoundRecord, _ reporters: [ReviewReporter]) -> RoundDTO {
        RoundDTO(
            id: round.id, name: round.name, year: round.year, kind: round.kind.rawValue, held_on: round.heldOn.description,
            grades: round.gradeSet.gradeSet.grades.map(\.name), ballot_percent: round.weights.ballotPercent,
            assessment_percent: round.weights.assessmentPercent, state: round.state.rawValue, version: round.version,
            reporters: reporters.map { r in
                ReporterDTO(
                    id: r.id, organisation_id: r.organisationID, organisation: r.organisationName, name: r.name, mode: r.mode.rawValue,
                    report_uploaded: r.reportAttachmentID != nil, commented: r.comment != nil, closed: r.closed, tally: r.tally?.counts,
                    invalid: r.tally?.invalid, ballot: r.outcome.ballot?.description, satisfaction: r.outcome.satisfaction?.description,
                    assessment: r.outcome.assessment?.description, combined: r.outcome.combined?.description, final: r.final?.description,
                    grade: r.grade, adjust_reason: r.adjustReason)
            })
    }
}
