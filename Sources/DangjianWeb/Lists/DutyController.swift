import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianStore

/// 责任清单: the secretaries' duty lists as a 实时质量图 (colour by LIST-09, a star per month whose duties were all
/// done), each list's items by period with the record form, templates whose items are data (e.g. 十个一/八个一), and
/// the register of signed 责任书.
struct DutyController {
    let services: AppServices

    func addRoutes(to site: Site) {
        site.add(.get, ListsPaths.duties, access: .permission(.ledgerWrite)) { request, context in
            try await overviewPage(request, context, error: nil, status: .ok)
        }
        site.add(.post, ListsPaths.dutiesTemplates, access: .permission(.ledgerManage), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let access = try context.access(for: .ledgerManage)
            do {
                let template = try DutyTemplateForm(form)
                _ = try await services.duties.createTemplate(
                    name: template.name, post: template.post, appliesTo: template.appliesTo, items: template.items,
                    organisationID: template.organisationID ?? access.reaches.first?.organisationID ?? 0, access: access, actor: context.actor)
                return PageRenderer.redirect(ListsPaths.duties)
            } catch let e as ValidationProblems {
                return try await overviewPage(request, context, error: e.problems.map(\.fullMessage).joined(separator: "；"), status: .badRequest)
            } catch let f as ValidationFailure {
                return try await overviewPage(request, context, error: f.fullMessage, status: .badRequest)
            }
        }
        site.add(.post, ListsPaths.dutiesTemplatesListsPattern, access: .permission(.ledgerManage), target: .dutyTemplate) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                let year = try DutyListsForm(form).year ?? CivilDate(date: services.clock.now()).year
                let added = try await services.duties.instantiate(
                    templateID: id, year: year, access: try context.access(for: .ledgerManage), actor: context.actor)
                return PageRenderer.redirect(ListsPaths.duties + "?year=\(year)&added=\(added)")
            } catch let f as ValidationFailure {
                return try await overviewPage(request, context, error: f.fullMessage, status: .badRequest)
            }
        }
        site.add(.post, ListsPaths.dutiesLetters, access: .permission(.ledgerManage), target: .organisation) { request, context in
            var request = request
            let form = try await FormData.read(&request)
            let access = try context.access(for: .ledgerManage)
            do {
                let letter = try DutyLetterForm(form)
                _ = try await services.duties.recordLetter(
                    organisationID: letter.organisationID, year: letter.year, title: letter.title, signatory: letter.signatory,
                    signedOn: letter.signedOn, issuerOrganisationID: letter.issuerOrganisationID ?? access.reaches.first?.organisationID ?? 0,
                    access: access, actor: context.actor)
                return PageRenderer.redirect(ListsPaths.duties)
            } catch let f as ValidationFailure {
                return try await overviewPage(request, context, error: f.fullMessage, status: .badRequest)
            }
        }
        site.add(.get, ListsPaths.dutiesPattern, access: .permission(.ledgerWrite), target: .dutyList) { request, context in
            try await listPage(request, context, id: try context.parameters.require("id", as: Int64.self), error: nil, status: .ok)
        }
        site.add(.post, ListsPaths.dutiesRecordsPattern, access: .permission(.ledgerWrite), target: .dutyList, body: .upload) { request, context in
            var request = request
            let posted = try await EvidenceForm.read(&request)
            let form = posted.form
            let id = try context.parameters.require("id", as: Int64.self)
            do {
                let entry = try DutyRecordForm(form)
                try await services.duties.record(
                    listID: id, itemID: entry.itemID, on: entry.date, text: entry.text, evidence: entry.evidence, file: try posted.evidence(),
                    access: try context.access(for: .ledgerWrite), actor: context.actor)
                return PageRenderer.redirect(ListsPaths.duties(id), done: .dutyRecorded)
            } catch let f as ValidationFailure {
                return try await listPage(request, context, id: id, error: f.fullMessage, status: .badRequest)
            }
        }
    }

    /// The organisation's stars placed by month (the same as the board's): ★ earned, ☆ not, · not finished yet.
    static func starRow(_ months: [StandingMonth]) -> String {
        (1...12).map { m in months.first { $0.month == m }.map { $0.star ? "★" : "☆" } ?? "·" }.joined()
    }

    func overviewPage(_ request: Request, _ context: AppRequestContext, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let query = FormData.query(request)
        let access = try context.access(for: .ledgerWrite)
        let manage = try context.access(for: .ledgerManage)
        let today = CivilDate(date: services.clock.now())
        let year = try query.number("year", CalendarYear.self)?.value ?? today.year
        let anchor = try await services.anchorID(query.int64("org"), access)
        let lists =
            access.reaches.isEmpty && !access.isUnrestricted
            ? [] : try await services.duties.lists(anchorID: anchor, scope: .subtree, year: year, access: access)
        let letters = try await services.duties.letters(year: year, access: access)
        let labels = try await services.organisations.labels(Set(lists.map(\.organisationID) + letters.map(\.organisationID)))
        let templates = manage.reaches.isEmpty ? [] : try await services.duties.templates(access: manage)
        let targets = try await services.unitChoices(manage, includingAnchors: true)
        let anchors = try await services.organisations.labels(Set(manage.reaches.map(\.organisationID)))
        let model = DutiesPage(
            year: year, error: error,
            added: query.int64("added").map { "已为 \($0) 个党组织建立清单" },
            lists: lists.map { l in
                DutiesPage.ListRow(
                    id: l.id, organisation: labels[l.organisationID] ?? "", template: l.template.name, post: l.template.post,
                    colour: l.standing.state.warningLevel.cssClass, state: l.standing.state.displayName, stars: Self.starRow(l.months),
                    starCount: l.stars,
                    warnings: l.standing.warnings.count)
            },
            hasLists: !lists.isEmpty,
            counts: ComplianceState.allCases.reversed().map { s in
                LegendItem(colour: s.warningLevel.cssClass, label: s.displayName, count: lists.filter { $0.standing.state == s }.count)
            },
            letters: letters.map {
                DutiesPage.LetterRow(
                    organisation: labels[$0.organisationID] ?? "", title: $0.title, signatory: $0.signatory, signedOn: $0.signedOn.description)
            },
            hasLetters: !letters.isEmpty,
            canManage: !manage.reaches.isEmpty,
            templates: templates.map { t in
                DutiesPage.TemplateRow(
                    id: t.id, name: t.name, post: t.post, count: t.items.count,
                    types: t.appliesTo.map(\.displayName).joined(separator: "、"),
                    items: t.items.map { "\($0.cadence.displayName) \($0.title)\($0.minimum > 1 ? " \($0.minimum) 次" : "")" })
            },
            types: OrganisationType.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.displayName, selected: [.branch, .jointBranch].contains($0))
            },
            orgs: anchors.sorted { $0.key < $1.key }.map { SelectOption(value: String($0.key), label: $0.value, selected: false) },
            targets: targets, today: today.description)
        return services.renderer.page("lists/duties", title: "责任清单", model: model, context: context, request: request, status: status)
    }

    func listPage(_ request: Request, _ context: AppRequestContext, id: Int64, error: String?, status: HTTPResponse.Status) async throws -> Response {
        guard let list = try await services.duties.list(id, access: try context.access(for: .ledgerWrite)) else {
            throw RecordNotFound(objectType: "duty_list", objectID: String(id))
        }
        let labels = try await services.organisations.labels([list.organisationID])
        let titles = Dictionary(uniqueKeysWithValues: list.template.items.map { ($0.id, $0.title) })
        let model = DutyListPage(
            id: list.id, organisation: labels[list.organisationID] ?? "", template: list.template.name, post: list.template.post,
            year: list.year,
            colour: list.standing.state.warningLevel.cssClass, state: list.standing.state.displayName, stars: Self.starRow(list.months),
            starCount: list.stars, legend: Standing.legend,
            warnings: list.standing.warnings, hasWarnings: !list.standing.warnings.isEmpty,
            items: list.template.items.map { item in
                DutyListPage.Item(
                    title: item.fedBy.map { "\(item.title)（由“\($0.displayName)”记录自动完成）" } ?? item.title, cadence: item.cadence.displayName,
                    times: item.minimum > 1 ? " ×\(item.minimum)" : "",
                    periods: list.standing.periods.filter { $0.item.id == item.id }.map { p in
                        DutyListPage.Period(
                            label: p.period.length == .year
                                ? "全年" : p.period.length == .quarter ? "Q\((p.period.start.month - 1) / 3 + 1)" : "\(p.period.start.month)月",
                            colour: p.state.warningLevel.cssClass, done: p.done)
                    })
            },
            options: list.template.items.filter { $0.fedBy == nil }.map {
                SelectOption(value: String($0.id), label: "\($0.cadence.displayName)：\($0.title)", selected: false)
            },
            records: list.records.reversed().map {
                DutyListPage.Record(
                    date: $0.entry.date.description, item: titles[$0.itemID] ?? "", text: $0.entry.text, evidence: $0.entry.evidence,
                    by: $0.entry.recordedBy,
                    files: CampaignController.files($0.entry.attachments))
            },
            hasRecords: !list.records.isEmpty,
            today: CivilDate(date: services.clock.now()).description, error: error)
        return services.renderer.page("lists/duty_list", title: list.template.name, model: model, context: context, request: request, status: status)
    }
}
