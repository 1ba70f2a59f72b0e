import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 督导检查: supervision groups and rounds, visits whose findings become problems in one step, and reminder letters
/// (提醒函) issued as .docx in the official-letter layout, then sent and acknowledged.
struct SupervisionController {
    let services: AppServices

    func addRoutes(to site: Site) {
        site.add(.get, ListsPaths.supervision, access: .signedIn) { request, context in
            try await overviewPage(request, context, error: nil, status: .ok)
        }
        site.add(.post, ListsPaths.supervisionGroups, access: .permission(.ledgerManage), target: .organisation) { request, context in
            try await createGroup(request, context)
        }
        site.add(.post, ListsPaths.supervisionRounds, access: .permission(.ledgerManage), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let access = try context.access(for: .ledgerManage)
            do {
                let round = try RoundForm(form)
                let id = try await services.supervision.createRound(
                    name: round.name, scheme: round.scheme, startsOn: round.startsOn, endsOn: round.endsOn, campaignID: round.campaignID,
                    organisationID: round.organisationID ?? access.reaches.first?.organisationID ?? 0, access: access, actor: context.actor)
                return PageRenderer.redirect(ListsPaths.supervisionRounds(id))
            } catch let f as ValidationFailure {
                return try await overviewPage(request, context, error: f.fullMessage, status: .badRequest)
            }
        }
        site.add(.get, ListsPaths.supervisionRoundsPattern, access: .signedIn, target: .supervisionRound) { request, context in
            try await roundPage(request, context, id: try context.parameters.require("id", as: Int64.self), error: nil, status: .ok)
        }
        site.add(.post, ListsPaths.supervisionRoundsVisitsPattern, access: .signedIn, target: .supervisionRound) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            guard let user = context.identity?.user.id,
                try await services.supervision.round(id, userID: user, access: try context.access(for: .ledgerManage)) != nil
            else {
                throw RecordNotFound(objectType: "supervision_round", objectID: String(id))
            }
            do {
                let visitForm = try VisitForm(form)
                let visit = try await services.supervision.recordVisit(
                    roundID: id, groupID: visitForm.groupID, organisationID: visitForm.organisationID, visitedOn: visitForm.visitedOn,
                    notes: visitForm.notes, findings: visitForm.findings, userID: user, manage: try context.access(for: .ledgerManage),
                    actor: context.actor)
                return PageRenderer.redirect(ListsPaths.supervisionRounds(id) + "?recorded=\(visit.id)")
            } catch let f as ValidationFailure {
                return try await roundPage(request, context, id: id, error: f.fullMessage, status: .badRequest)
            }
        }
        site.add(.get, ListsPaths.letters, access: .permission(.ledgerWrite)) { request, context in
            try await lettersPage(request, context, error: nil, status: .ok)
        }
        site.add(.get, ListsPaths.lettersNew, access: .permission(.ledgerManage)) { request, context in
            let form = FormData.query(request)
            let access = try context.access(for: .ledgerManage)
            guard let (visit, round) = try await services.supervision.visit(form.int64("visit") ?? 0, access: access) else {
                throw RecordNotFound(objectType: "supervision_visit", objectID: form.text("visit"))
            }
            var lines: [String] = []
            for (i, pid) in visit.problemIDs.enumerated() {
                if let p = try await services.problems.find(pid, access: access) { lines.append("\(i + 1). \(p.category)：\(p.description)") }
            }
            let labels = try await services.organisations.labels([visit.organisationID, round.organisationID])
            let deadline = visit.visitedOn.adding(days: 30)
            let body =
                "\(round.name)（\(round.scheme.isEmpty ? "专项督查" : round.scheme)）于 \(visit.visitedOn) 到你单位督导，发现以下问题：\n"
                + lines.joined(separator: "\n")
                + "\n请你单位高度重视，逐条制定整改措施，于 \(deadline) 前完成整改，并将整改情况书面报送。"
            let model = LetterDraftPage(
                visit: visit.id, organisation: visit.organisationID, issuer: round.organisationID,
                recipient: labels[visit.organisationID] ?? "",
                issuingOrgan: labels[round.organisationID] ?? "", body: body, problems: visit.problemIDs.map { LetterDraftPage.ProblemRef(id: $0) },
                count: visit.problemIDs.count, today: CivilDate(date: services.clock.now()).description)
            return services.renderer.page("lists/letter_new", title: "下发提醒函", model: model, context: context, request: request)
        }
        site.add(.post, ListsPaths.letters, access: .permission(.ledgerManage), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            do {
                let letterForm = try LetterForm(form)
                let letter = try await services.supervision.issueLetter(
                    letterForm.draft, issuerOrganisationID: letterForm.issuerOrganisationID, access: try context.access(for: .ledgerManage),
                    actor: context.actor)
                return PageRenderer.redirect(ListsPaths.letters + "?issued=\(letter.id)")
            } catch let f as ValidationFailure {
                return try await lettersPage(request, context, error: f.fullMessage, status: .badRequest)
            }
        }
        site.add(.get, ListsPaths.lettersLetterDocxPattern, access: .permission(.ledgerWrite), target: .letter) { request, context in
            let id = try context.parameters.require("id", as: Int64.self)
            guard let letter = try await services.supervision.letter(id, access: try context.access(for: .ledgerWrite)) else {
                throw RecordNotFound(objectType: "reminder_letter", objectID: String(id))
            }
            try await services.audit.record(
                AuditEvent(
                    action: .export, objectType: "reminder_letter", objectID: String(id), organisationID: letter.organisationID,
                    summary: "下载\(letter.number)（Word）"), by: context.actor, database: services.database)
            return Download.response(
                try Self.document(letter), type: Download.docx, name: "reminder-letter-\(id).docx",
                chineseName: "\(letter.number)\(letter.title).docx")
        }
        site.add(.post, ListsPaths.lettersSentPattern, access: .permission(.ledgerManage), target: .letter) { request, context in
            try await letterAction(request, context, manage: true)
        }
        site.add(.post, ListsPaths.lettersAcknowledgePattern, access: .permission(.ledgerWrite), target: .letter) { request, context in
            try await letterAction(request, context, manage: false)
        }
    }

    /// POST /supervision/groups: a supervision group with its members and units.
    func createGroup(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let access = try context.access(for: .ledgerManage)
        do {
            let group = try GroupForm(form)
            var members: [(userID: Int64, duty: String)] = []
            for (line, name, duty) in group.memberLines {
                // L6: only accounts with a role inside the office's own part of the tree, and one answer for a
                // name that is no account and one outside it (no finding out which login names exist).
                guard let user = try await services.accountInside(access, username: name) else {
                    throw ValidationFailure(field: "members", message: "第 \(line) 行：“\(name)”不是本单位管理范围内的用户，请核对登录名")
                }
                members.append((user.id, duty))
            }
            _ = try await services.supervision.createGroup(
                name: group.name, year: group.year ?? CivilDate(date: services.clock.now()).year,
                organisationID: group.organisationID ?? access.reaches.first?.organisationID ?? 0, members: members,
                organisationIDs: group.organisationIDs, access: access, actor: context.actor)
            return PageRenderer.redirect(ListsPaths.supervision)
        } catch let f as ValidationFailure {
            return try await overviewPage(request, context, error: f.fullMessage, status: .badRequest)
        }
    }

    func letterAction(_ request: Request, _ context: AppRequestContext, manage: Bool) async throws -> Response {
        var request = request
        let form = try await FormData.read(&request)
        let id = try context.parameters.require("id", as: Int64.self)
        let date = LetterStepForm(form).date ?? CivilDate(date: services.clock.now())
        do {
            if manage {
                try await services.supervision.markSent(id, on: date, access: try context.access(for: .ledgerManage), actor: context.actor)
            } else {
                try await services.supervision.acknowledge(id, on: date, access: try context.access(for: .ledgerWrite), actor: context.actor)
            }
            return PageRenderer.redirect(ListsPaths.letters)
        } catch let f as ValidationFailure {
            return try await lettersPage(request, context, error: f.fullMessage, status: .badRequest)
        }
    }

    /// The official-letter layout (公文格式, A4): title, number, recipient, body, issuing organ and date.
    static func document(_ letter: ReminderLetter) throws -> Data {
        try DocxWriter.official(
            OfficialDocument(
                title: letter.title, number: letter.number, recipient: "\(letter.recipient)：",
                paragraphs: letter.body.split(whereSeparator: \.isNewline).map(String.init),
                issuer: letter.issuingOrgan, date: letter.issuedOn))
    }

    func overviewPage(_ request: Request, _ context: AppRequestContext, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let manage = try context.access(for: .ledgerManage)
        let user = context.identity?.user.id ?? 0
        let (groups, rounds) = try await services.supervision.overview(userID: user, access: manage)
        let labels = try await services.organisations.labels(Set(groups.flatMap(\.organisationIDs)))
        let targets = try await services.unitChoices(manage, includingAnchors: false)
        let anchors = try await services.organisations.labels(Set(manage.reaches.map(\.organisationID)))
        let campaigns = manage.reaches.isEmpty ? [] : try await services.campaigns.campaigns(access: manage)
        let model = SupervisionPage(
            groups: groups.map { g in
                SupervisionPage.Group(
                    name: g.name, year: g.year, members: g.members.map { "\($0.name)（\($0.duty)）" }.joined(separator: "、"),
                    units: g.organisationIDs.compactMap { labels[$0] }.joined(separator: "、"), count: g.organisationIDs.count)
            },
            hasGroups: !groups.isEmpty,
            rounds: rounds.map { SupervisionPage.Round(id: $0.id, name: $0.name, scheme: $0.scheme, dates: "\($0.startsOn) 至 \($0.endsOn)") },
            hasRounds: !rounds.isEmpty,
            canManage: !manage.reaches.isEmpty, targets: targets,
            orgs: anchors.sorted { $0.key < $1.key }.map { SelectOption(value: String($0.key), label: $0.value, selected: false) },
            campaigns: campaigns.map { SelectOption(value: String($0.id), label: $0.name, selected: false) },
            year: CivilDate(date: services.clock.now()).year, error: error)
        return services.renderer.page("lists/supervision", title: "督导检查", model: model, context: context, request: request, status: status)
    }

    func roundPage(_ request: Request, _ context: AppRequestContext, id: Int64, error: String?, status: HTTPResponse.Status) async throws -> Response
    {
        let manage = try context.access(for: .ledgerManage)
        let user = context.identity?.user.id ?? 0
        guard let (round, visits) = try await services.supervision.round(id, userID: user, access: manage) else {
            throw RecordNotFound(objectType: "supervision_round", objectID: String(id))
        }
        let (groups, _) = try await services.supervision.overview(userID: user, access: manage)
        let usable = groups.filter {
            $0.organisationID == round.organisationID && ($0.members.contains { $0.userID == user } || !manage.reaches.isEmpty)
        }
        let labels = try await services.organisations.labels(Set(usable.flatMap(\.organisationIDs) + visits.map(\.organisationID)))
        let groupNames = Dictionary(uniqueKeysWithValues: groups.map { ($0.id, $0.name) })
        var units: [SelectOption] = []
        for g in usable {
            units += g.organisationIDs.map { SelectOption(value: String($0), label: "\(labels[$0] ?? "")（\(g.name)）", selected: false) }
        }
        let mayIssue = manage.reaches.isEmpty ? false : try await services.organisations.find(round.organisationID, access: manage) != nil
        let model = SupervisionRoundPage(
            round: .init(id: round.id, name: round.name, scheme: round.scheme, dates: "\(round.startsOn) 至 \(round.endsOn)"),
            visits: visits.map { v in
                SupervisionRoundPage.Visit(
                    id: v.id, date: v.visitedOn.description, group: groupNames[v.groupID] ?? "", organisation: labels[v.organisationID] ?? "",
                    problems: v.problemIDs.count, notes: v.notes, mayIssue: mayIssue)
            },
            hasVisits: !visits.isEmpty, visitCount: visits.count, unitCount: Set(visits.map(\.organisationID)).count,
            problemCount: visits.map(\.problemIDs.count).reduce(0, +),
            groups: usable.map { SelectOption(value: String($0.id), label: $0.name, selected: false) }, units: units, canVisit: !usable.isEmpty,
            today: CivilDate(date: services.clock.now()).description, error: error)
        return services.renderer.page("lists/supervision_round", title: round.name, model: model, context: context, request: request, status: status)
    }

    func lettersPage(_ request: Request, _ context: AppRequestContext, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let access = try context.access(for: .ledgerWrite)
        let manage = try context.access(for: .ledgerManage)
        let letters = try await services.supervision.letters(access: access)
        var rows: [LettersPage.Row] = []
        for l in letters {
            let manages = manage.reaches.isEmpty ? false : try await services.supervision.letter(l.id, access: manage) != nil
            rows.append(
                LettersPage.Row(
                    id: l.id, number: l.number, title: l.title, recipient: l.recipient, issuedOn: l.issuedOn.description, state: l.stateName,
                    problems: l.problemIDs.count, canSend: manages && l.sentOn == nil, canAcknowledge: l.sentOn != nil && l.acknowledgedOn == nil,
                    sentOn: l.sentOn?.description, acknowledgedOn: l.acknowledgedOn?.description))
        }
        let model = LettersPage(
            rows: rows, hasRows: !rows.isEmpty, count: rows.count, today: CivilDate(date: services.clock.now()).description,
            error: error)
        return services.renderer.page("lists/letters", title: "提醒函", model: model, context: context, request: request, status: status)
    }
}
