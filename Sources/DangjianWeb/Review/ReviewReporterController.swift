import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianStore

/// One reporter in a round: the organisation uploads its secretary's written report (REVIEW-02/03); the organising
/// committee sets the mode, records its comment (REVIEW-04) and the paper tally, closes the ballot (REVIEW-05),
/// sees the inputs (REVIEW-08) and issues the rectification lists (REVIEW-07). The organisation sees its own
/// result only once the round is confirmed.
struct ReviewReporterController {
    let services: AppServices
    var review: ReviewRepository { services.store.review }

    func addRoutes(to site: Site) {
        site.add(.get, ReviewPaths.reporterPattern, access: .signedIn, target: .reviewReporter) { request, context in
            try await page(request, context, id: try context.parameters.require("id", as: Int64.self), error: nil, status: .ok)
        }
        site.add(.post, ReviewPaths.reportPattern, access: .signedIn, target: .reviewReporter, body: .upload) { request, context in
            var request = request
            let id = try context.parameters.require("id", as: Int64.self)
            let manage = try context.access(for: .ledgerManage)
            let write = try context.access(for: .ledgerWrite)
            // Out of reach (neither the reporter's organisation nor the organiser): 404 before the upload is read.
            guard try await review.reporter(id, access: manage, unitAccess: write) != nil else {
                throw RecordNotFound(objectType: "review_reporter", objectID: String(id))
            }
            let upload = try await EvidenceForm.read(&request)
            do {
                guard let file = try upload.evidence() else {
                    throw ValidationFailure(field: "evidence_file", message: "请选择述职报告（PDF 或照片）", ruleID: RuleID.review02.code)
                }
                try await review.uploadReport(
                    reporterID: id, file: file, covered: Set(upload.form.all("covered")), access: manage, unitAccess: write, actor: context.actor)
                return PageRenderer.redirect(ReviewPaths.reporter(id))
            } catch let f as ValidationFailure {
                return try await page(request, context, id: id, error: f.fullMessage, status: .unprocessableContent)
            }
        }
        site.add(.get, ReviewPaths.reportPattern, access: .signedIn, target: .reviewReporter) { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard
                let (attachment, data) = try await review.reportFile(
                    reporterID: id, access: try context.access(for: .ledgerManage), unitAccess: try context.access(for: .ledgerWrite))
            else { throw RecordNotFound(objectType: "review_report", objectID: String(id)) }
            return Download.response(
                data, type: attachment.contentType, name: "report-\(id)\(attachment.fileExtension)", chineseName: attachment.fileName)
        }
        site.add(.post, ReviewPaths.modePattern, access: .permission(.ledgerManage), target: .reviewReporter) { request, context in
            try await action(request, context) { id, form, access in
                guard let mode = ReviewMode(rawValue: form.text("mode")) else {
                    throw ValidationFailure(field: "mode", message: "请选择述职方式（现场述职或书面述职）", ruleID: RuleID.review02.code)
                }
                try await review.setMode(reporterID: id, mode: mode, access: access, actor: context.actor)
            }
        }
        site.add(.post, ReviewPaths.commentPattern, access: .permission(.ledgerManage), target: .reviewReporter) { request, context in
            try await action(request, context) { id, form, access in
                try await review.comment(reporterID: id, text: form.text("comment"), access: access, actor: context.actor)
            }
        }
        site.add(.post, ReviewPaths.tallyPattern, access: .permission(.ledgerManage), target: .reviewReporter) { request, context in
            try await action(request, context) { id, form, access in
                guard let found = try await review.reporter(id, access: access, unitAccess: access) else {
                    throw RecordNotFound(objectType: "review_reporter", objectID: String(id))
                }
                let tally = try ReviewTallyForm(form, grades: found.round.gradeSet.gradeSet.grades.count)
                try await review.recordPaperTally(
                    reporterID: id, tally: tally.tally, attendees: tally.attendees, access: access, actor: context.actor)
            }
        }
        site.add(.post, ReviewPaths.closePattern, access: .permission(.ledgerManage), target: .reviewReporter) { request, context in
            try await action(request, context) { id, _, access in
                try await review.closeBallot(reporterID: id, access: access, actor: context.actor)
            }
        }
        site.add(.post, ReviewPaths.rectifyPattern, access: .permission(.ledgerManage), target: .reviewReporter) { request, context in
            try await action(request, context) { id, form, access in
                let rectify = try ReviewRectifyForm(form)
                try await review.issueRectification(
                    reporterID: id, items: rectify.items, deadline: rectify.deadline, access: access, actor: context.actor)
            }
        }
    }

    /// A committee POST on a reporter: 404 before the form is read when the round is not the caller's.
    func action(
        _ request: Request, _ context: AppRequestContext, _ run: (Int64, FormData, OrganisationAccess) async throws -> Void
    ) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .ledgerManage)
        try await review.requireOrganised(reporterID: id, access: access)
        let form = try await FormData.read(&request)
        do {
            try await run(id, form, access)
            return PageRenderer.redirect(ReviewPaths.reporter(id))
        } catch let p as any ProblemList {
            return try await page(
                request, context, id: id, error: p.problems.map(\.fullMessage).joined(separator: "；"), entered: form, status: .unprocessableContent)
        } catch let f as ValidationFailure {
            return try await page(request, context, id: id, error: f.fullMessage, entered: form, status: .unprocessableContent)
        }
    }

    /// The reporter's page; after a refusal `entered` keeps what was typed in the tally and comment fields.
    func page(
        _ request: Request, _ context: AppRequestContext, id: Int64, error: String?, entered: FormData? = nil, status: HTTPResponse.Status
    ) async throws -> Response {
        let manage = try context.access(for: .ledgerManage)
        guard let (round, r, organiser) = try await review.reporter(id, access: manage, unitAccess: try context.access(for: .ledgerWrite)) else {
            throw RecordNotFound(objectType: "review_reporter", objectID: String(id))
        }
        let inputs = organiser ? try await review.inputs(reporterID: id, access: manage) : ReviewInputs(lines: [], openProblems: [])
        let issued = organiser ? try await review.rectification(reporterID: id, access: manage) : []
        let grades = round.gradeSet.gradeSet.grades
        let shown = round.state == .confirmed || organiser
        let model = ReviewReporterPage(
            error: error, id: id, roundID: round.id, round: round.name, organisation: r.organisationName, name: r.name, mode: r.mode.displayName,
            organiser: organiser, isOpen: round.state == .open, closed: r.closed, confirmed: round.state == .confirmed,
            reportName: r.reportFileName ?? "", hasReport: r.reportAttachmentID != nil, covered: r.covered,
            checklist: round.content.items.map { SelectOption(value: $0, label: $0, selected: r.covered.contains($0)) },
            comment: entered?["comment"] ?? (organiser || round.state == .confirmed ? r.comment ?? "" : ""), hasComment: r.comment != nil && shown,
            grades: grades.enumerated().map { i, g in
                .init(
                    index: i, name: g.name,
                    value: entered?["count_\(i)"] ?? r.paperTally.map { $0.counts.indices.contains(i) ? String($0.counts[i]) : "0" } ?? "")
            },
            invalid: entered?["invalid"] ?? r.paperTally.map { String($0.invalid) } ?? "",
            attendees: entered?["attendees"] ?? r.paperAttendees.map(String.init) ?? "",
            phone: Self.tallyText(r.phoneTally, grades), tally: r.tally.map { Self.tallyText($0, grades) } ?? "",
            ballot: r.outcome.ballot?.description ?? "", satisfaction: r.outcome.satisfaction.map { "\($0)%" } ?? "",
            combined: r.outcome.combined?.description ?? "", final: r.final?.description ?? "", grade: shown ? r.grade ?? "" : "",
            reason: r.adjustReason ?? "",
            inputs: inputs.lines, openProblems: inputs.openProblems, hasOpenProblems: !inputs.openProblems.isEmpty,
            issued: issued.map { .init(kind: $0.kind.displayName, problemID: $0.problemID, text: $0.text, state: $0.state) },
            hasIssued: !issued.isEmpty,
            defaultDeadline: CivilDate(year: round.year + 1, month: 10, day: 31)?.description ?? "",
            modes: ReviewMode.allCases.map { SelectOption(value: $0.rawValue, label: $0.displayName, selected: $0 == r.mode) })
        return services.renderer.page(
            "review/reporter", title: "\(r.name) · \(round.name)", model: model, context: context, request: request, status: status)
    }

    static func tallyText(_ tally: BallotTally, _ grades: [BallotGrade]) -> String {
        zip(grades, tally.counts).map { "\($0.name) \($1)" }.joined(separator: "，") + "，无效 \(tally.invalid)"
    }
}
