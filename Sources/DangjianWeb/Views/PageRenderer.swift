import Hummingbird
import Mustache
import Foundation
import DangjianDomain
import Synchronization

/// One link in the navigation bar.
struct NavItem: Sendable {
    var title: String
    var href: String
    var active: Bool
}

/// One `<option>` of a `<select>`.
struct SelectOption: Sendable {
    var value: String
    var label: String
    var selected: Bool

    /// The `<option>` elements of a list, escaped — for the busiest pages' filter lists (written in Swift, not
    /// flattened and looped through the template engine per option).
    static func html(_ options: [SelectOption]) -> String {
        options.map { "<option value=\"\(HTMLText.escape($0.value))\"\($0.selected ? " selected" : "")>\(HTMLText.escape($0.label))</option>" }
            .joined()
    }
}

/// The data every page's layout needs.
struct LayoutModel {
    var title: String
    var body: String
    var signedIn: Bool
    var userName: String
    var roles: String
    var nav: [NavItem]
    var csrf: String
    var flash: String?
    var requestID: String
    /// Seconds until the session ends without activity (`Identity.sessionSecondsLeft`): app.js warns before then.
    var sessionSecondsLeft: Int? = nil
}

/// Renders Mustache templates (loaded once at start from the bundle) into complete pages inside the layout.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads every template under `Resources/templates`.
    public static func load() async throws -> PageRenderer {
        let base = Bundle.module.bundleURL.appendingPathComponent("Resources/templates")
        let library = try await MustacheLibrary(directory: base.path)
        guard library.getTemplate(named: "home/home") != nil else { throw PageRendererError.missingTemplates(base.path) }
        return PageRenderer(library: library)
    }

    /// Renders a partial template alone.
    func render(_ template: String, _ model: Any) -> String {
        render(template, model, csrf: "")
    }

    /// Renders a page's template with what every page may use added to its model: `csrf`, the signed-in session's
    /// token for the forms' `{{> partials/csrf}}` field (a model that sets its own, like the sign-in form's, keeps it),
    /// and `paths`, every capability's fixed URLs (`Feature.paths`).
    func render(_ template: String, _ model: Any, csrf: String) -> String {
        var flat = MustacheModel.flatten(model) ?? TemplateFields()
        if var fields = flat as? TemplateFields {
            fields.addIfAbsent("csrf", csrf)
            // One token per page for its forms (`SubmitOnce`): a form sent twice stores once.
            if !csrf.isEmpty { fields.addIfAbsent("formOnce", SubmitOnce.newToken()) }
            fields.addIfAbsent("paths", Features.templatePaths)
            flat = fields
        }
        return library.render(flat, withTemplate: template) ?? "<p>模板 \(template) 缺失</p>"
    }

    /// A full HTML page: the template rendered with `model`, wrapped in the layout with role-based navigation.
    func page(
        _ template: String, title: String, model: Any, context: AppRequestContext, request: Request,
        status: HTTPResponse.Status = .ok, flash: String? = nil
    ) -> Response {
        let identity = context.identity
        let body = render(template, model, csrf: identity?.csrfToken ?? "")
        let layout = LayoutModel(
            title: title, body: body, signedIn: identity != nil,
            userName: identity?.user.displayName ?? "",
            roles: identity.map { Array($0.principal.roles).map(\.displayName).sorted().joined(separator: "、") } ?? "",
            nav: Navigation.items(for: identity, currentPath: request.uri.path),
            csrf: identity?.csrfToken ?? "", flash: flash ?? DoneNotice.of(request)?.message, requestID: context.requestID,
            sessionSecondsLeft: identity?.sessionSecondsLeft)
        return Self.html(Self.layoutHTML(layout), status: status)
    }

    /// The page frame every page shares, written in Swift (every value escaped): it is rendered on every request,
    /// and through the template engine it was a visible share of the busiest page (`perf`, docs/performance.md).
    static func layoutHTML(_ layout: LayoutModel) -> String {
        let e = HTMLText.escape
        var html = """
            <!doctype html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(layout.title)) · 党建工作平台</title>
            <link rel="stylesheet" href="/static/app.css">
            <script src="/static/app.js" defer></script>
            </head>
            \(layout.sessionSecondsLeft.map { "<body data-session-left=\"\($0)\" data-session-ping=\"\(AccountPaths.sessionLeft)\">" } ?? "<body>")
            <header class="site-header">
              <a class="brand" href="\(HomePaths.home)">党建工作平台</a>

            """
        if layout.signedIn {
            html += "  <nav class=\"site-nav\" aria-label=\"主导航\">\n    <ul>\n    "
            for item in layout.nav {
                html += "<li><a href=\"\(e(item.href))\"\(item.active ? " aria-current=\"page\"" : "")>\(e(item.title))</a></li>"
            }
            html += "\n    </ul>\n  </nav>\n  <div class=\"who\">\n    <span class=\"who-name\">\(e(layout.userName))</span>"
            if !layout.roles.isEmpty { html += "<span class=\"who-roles\">（\(e(layout.roles))）</span>" }
            html += """

                    <form method="post" action="\(AccountPaths.logout)" class="inline">
                      <input type="hidden" name="_csrf" value="\(e(layout.csrf))">
                      <button type="submit" class="link-button">退出</button>
                    </form>
                  </div>

                """
        }
        html += "</header>\n<main id=\"main\">\n"
        if let flash = layout.flash, !flash.isEmpty { html += "<p class=\"success\" role=\"status\" id=\"flash\">\(e(flash))</p>" }
        html += "\n" + layout.body + "\n</main>\n<footer class=\"site-footer\">党建工作平台 · 请求编号 \(e(layout.requestID))</footer>\n</body>\n</html>\n"
        return html
    }

    /// An HTML response with the right content type.
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A 303 redirect (POST-redirect-GET).
    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }
}

enum PageRendererError: Error { case missingTemplates(String) }

/// A file the browser saves (exports, templates, letters), with an ASCII name and the Chinese name (RFC 6266/5987).
enum Download {
    static let csv = "text/csv; charset=utf-8"
    static let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    static let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    private static let attrChars = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")

    static func response(_ data: Data, type: String, name: String, chineseName: String? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        var disposition = "attachment; filename=\"\(name)\""
        if let chinese = chineseName?.addingPercentEncoding(withAllowedCharacters: attrChars) { disposition += "; filename*=UTF-8''\(chinese)" }
        headers[.contentDisposition] = disposition
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// HTML escaping for the few fragments built in Swift (the same five characters Mustache escapes).
enum HTMLText {
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

/// What the template engine is handed for one view model: its fields by name, each already flattened (a nested
/// view model is itself `TemplateFields`, a list an array of flattened values). Page models are typed `…Page`
/// structs; this is the renderer's own form of them, never built by a controller.
struct TemplateFields: MustacheParent {
    private var values: Dictionary<String, Any> = [:]

    init() {}

    func child(named name: String) -> Any? { values[name] }

    subscript(name: String) -> Any? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// Adds a field the page's own model did not set (a model that sets its own `csrf`, like the sign-in form's, keeps it).
    mutating func addIfAbsent(_ name: String, _ value: Any) {
        if values[name] == nil { values[name] = value }
    }
}

/// An empty text field as templates see it: renders as nothing and is false in a section, so
/// `{{#owner}} · 责任人：{{owner}}{{/owner}}` leaves out the label when there is no value (issue 17 item 12: "已批量办理 人。",
/// "整改措施：；责任人："). Unlike a missing field it still hides an enclosing context's field of the same name.
struct EmptyText: MustacheCustomRenderable {
    var renderText: String { "" }
    var isNull: Bool { true }
}

/// Turns our view-model structs into `TemplateFields` once per render. swift-mustache looks a key up in a struct through
/// `Mirror`, walking every field on every lookup; a 50-row list page spent 70 % of its time there (perf, bench/).
/// Dictionaries are looked up directly. A nil field is left out, which Mustache treats exactly like the nil field
/// of a struct (not found, so the lookup continues in the enclosing context).
enum MustacheModel {
    /// Whether a struct type is one of our view models, by its module — remembered per type, since spelling a type's
    /// name (`String(reflecting:)`) for every row and option was a visible share of a list page (`perf`).
    static func isViewModel(_ type: Any.Type) -> Bool {
        let key = ObjectIdentifier(type)
        if let known = viewModelTypes.withLock({ $0[key] }) { return known }
        let ours = String(reflecting: type).hasPrefix("DangjianWeb.")
        viewModelTypes.withLock { $0[key] = ours }
        return ours
    }
    private static let viewModelTypes = Mutex<[ObjectIdentifier: Bool]>([:])

    static func flatten(_ value: Any) -> Any? {
        switch value {
        case let text as String where text.isEmpty: return EmptyText()
        case is String, is Substring, is Int, is Int64, is Bool, is Double, is TemplateFields: return value
        case let array as [Any]: return array.compactMap(flatten)
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { flatten($0.value) }
        case .collection, .set:
            return mirror.children.compactMap { flatten($0.value) }
        case .struct, .tuple:
            // Only our own view models (and tuples of them); other types (dates, enums …) render as themselves.
            guard mirror.displayStyle == .tuple || isViewModel(type(of: value)) else {
                return value
            }
            var result = TemplateFields()
            for child in mirror.children {
                guard let label = child.label, let flat = flatten(child.value) else { continue }
                result[label.hasPrefix(".") ? String(label.dropFirst()) : label] = flat
            }
            return result
        default:
            return value
        }
    }
}

/// The navigation bar: the capabilities' entries (`Features.navigation`) that the user's permissions allow.
enum Navigation {
    static func items(for identity: Identity?, currentPath: String) -> [NavItem] {
        guard let identity, !identity.mustChangePassword else { return [] }
        let p = identity.principal
        let items = Features.navigation.filter { $0.requirement.isMet(by: p) }.map { ($0.title, $0.href) }
        return items.map { title, href in
            NavItem(title: title, href: href, active: href == HomePaths.home ? currentPath == HomePaths.home : currentPath.hasPrefix(href))
        }
    }
}

extension WarningLevel {
    /// The CSS class of the level's colour (`app.css`: `.green`, `.grey`, `.yellow`, `.amber`, `.red`).
    var cssClass: String {
        switch self {
        case .good: "green"
        case .neutral: "grey"
        case .caution: "yellow"
        case .lateDone: "amber"
        case .alarm: "red"
        }
    }
}
