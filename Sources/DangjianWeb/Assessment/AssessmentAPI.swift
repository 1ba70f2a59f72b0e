import Hummingbird
import DangjianDomain
import DangjianStore

/// 考评验收 in `/api/v1`: a scheme version, a round's results (hidden until every sheet is in, EVAL-05), and an
/// assessor's sheet written from another system — checked as the phone page checks it (EVAL-02/05/07, EVAL-04).
/// Scores are strings with two decimals ("82.95").
struct AssessmentAPI {
    let services: AppServices
    var assessment: AssessmentRepository { services.store.assessment }

    struct IndicatorDTO: Encodable {
        var code: String
        var aspect: String
        var name: String
        var max_points: String
        var method: String
        var source: String
        var guidance: String
        var evidence_required: [String]
    }

    struct SchemeDTO: Encodable {
        var id: Int64
        var name: String
        var version: Int
        var base_total: String
        var indicators: [IndicatorDTO]
    }

    struct ResultDTO: Encodable {
        var unit_id: Int64
        var organisation_id: Int64
        var unit: String
        var category: String?
        var rank: Int
        var category_rank: Int
        var computed: String
        var final: String
        var grade: String
        var passed: Bool
        var valid_sheets: Int
        var assigned: Int
    }

    struct ResultsDTO: Encodable {
        var round_id: Int64
        var name: String
        var state: String
        var visible: Bool
        var results: [ResultDTO]
    }

    struct SheetDTO: Encodable {
        var unit_id: Int64
        var state: String
        var version: Int64
        var total: String
    }

    func addRoutes(to site: Site) {
        site.add(.get, "/api/v1/assessment/schemes/{id}", access: .permission(.ledgerManage), target: .assessmentScheme) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let version = try await assessment.schemeVersion(id, access: try JSONAPI.identity(context).principal.access(for: .ledgerManage))
            let s = version.scheme
            return try JSONAPI.encode(
                SchemeDTO(
                    id: id, name: s.name, version: version.number, base_total: s.baseTotal.description,
                    indicators: s.aspects.flatMap { a in
                        a.indicators.map {
                            IndicatorDTO(
                                code: $0.code, aspect: a.name, name: $0.name, max_points: $0.maxPoints.description, method: $0.method.kind.rawValue,
                                source: $0.source.rawValue, guidance: $0.guidance, evidence_required: $0.evidenceRequired)
                        }
                    }))
        }
        site.add(.get, "/api/v1/assessment/rounds/{id}/results", access: .permission(.ledgerManage), target: .assessmentRound) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let results = try await assessment.results(roundID: id, access: try JSONAPI.identity(context).principal.access(for: .ledgerManage))
            return try JSONAPI.encode(
                ResultsDTO(
                    round_id: id, name: results.round.name, state: results.round.state.rawValue, visible: results.visible,
                    results: results.rows.map {
                        ResultDTO(
                            unit_id: $0.unit.id, organisation_id: $0.unit.organisationID, unit: $0.unit.name, category: $0.unit.category,
                            rank: $0.rank,
                            category_rank: $0.categoryRank, computed: $0.result.total.description, final: $0.finalScore.description, grade: $0.grade,
                            passed: $0.passed, valid_sheets: $0.validSheets, assigned: $0.assigned)
                    }))
        }
        // {"score_<code>": "4.5", …, "submit": "1", "version": 3}: the caller's own sheet for the unit.
        site.add(.post, "/api/v1/assessment/units/{id}/sheet", access: .signedIn, target: .assessmentUnit) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            let identity = try JSONAPI.identity(context)
            guard let (roundID, organisationID) = try await assessment.unitReference(id) else {
                throw RecordNotFound(objectType: "assessment_unit", objectID: String(id))
            }
            let write = identity.principal.access(for: .ledgerWrite)
            let view = try await assessment.sheetView(
                roundID: roundID, organisationID: organisationID, stage: .site, userID: identity.user.id, unitAccess: write)
            let body = try await request.decode(as: JSONAPI.FormBody.self, context: context)
            let form = SheetForm(body.form, indicators: view.indicators)
            let sheet = try await assessment.saveSheet(
                roundID: roundID, organisationID: organisationID, stage: .site, entries: form.entries, submit: form.submit,
                expectedVersion: form.version,
                userID: identity.user.id, unitAccess: write, actor: context.actor)
            return try JSONAPI.encode(
                SheetDTO(
                    unit_id: id, state: sheet.state.rawValue, version: sheet.version, total: sheet.scores.values.map(\.points).total().description))
        }
    }
}
