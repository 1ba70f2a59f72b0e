import Hummingbird
import Prometheus
import HTTPTypes
import Foundation
import NIOCore
import NIOHTTP1
import DangjianDomain
import DangjianStore

/// Turns errors into Chinese error pages (or JSON for `/api/`) with the request id; never a stack trace, SQL or
/// path. Permission denials and CSRF rejections are audited.
struct ErrorPages {
    let services: AppServices

    struct ErrorModel {
        var status: Int
        var heading: String
        var message: String
        var requestID: String
    }

    func response(for error: any Error, request: Request, context: AppRequestContext) async throws -> Response {
        let isAPI = request.uri.path.hasPrefix("/api/")
        switch error {
        case let e as NeedsSignIn:
            if e.isAPI || isAPI { return json(.unauthorized, code: "unauthenticated", message: "需要登录或有效的访问令牌", context: context) }
            // A form sent without a session goes back to the page that showed it after sign-in (issue 17 item 6).
            let back = request.method == .get ? request.uri.path : SessionMiddleware.sameSitePath(request.headers[.referer]) ?? ""
            let next = back.isEmpty ? "" : "?next=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            return PageRenderer.redirect(AccountPaths.login + next)
        case let e as NeedsSecondFactor:
            if isAPI { return json(.unauthorized, code: "second_factor_required", message: "请先在网页完成动态口令验证", context: context) }
            if e.gate == .enrolmentRequired { return PageRenderer.redirect(AccountPaths.twoFactor) }
            let next = request.method == .get ? AuthController.safeNext(request.uri.description) : HomePaths.home
            return PageRenderer.redirect(AccountPaths.loginVerify + "?next=" + Self.queryEscaped(next))
        case let e as NeedsStepUp:
            if isAPI { return json(.forbidden, code: "step_up_required", message: "此操作需在网页上再次验证身份", context: context) }
            return PageRenderer.redirect(AccountPaths.stepUp + "?next=" + Self.queryEscaped(e.next))
        case is NeedsPasswordChange:
            if isAPI { return json(.forbidden, code: "password_change_required", message: "请先登录网页修改初始密码", context: context) }
            return PageRenderer.redirect(AccountPaths.changeCredentials)
        case let e as AccessDenied:
            try? await services.audit.record(
                AuditEvent(
                    action: .accessDenied, objectType: "route", objectID: "\(request.method.rawValue) \(request.uri.path)",
                    succeeded: false, summary: "越权访问被拒绝：\(e.reason)"), by: context.actor, database: services.database)
            return page(.forbidden, "无权访问", "您没有执行此操作的权限。\(e.reason)。如需开通，请联系安全管理员。", request, context, isAPI, "forbidden")
        case let e as CSRFRejected:
            try? await services.audit.record(
                AuditEvent(
                    action: .csrfRejected, objectType: "route", objectID: "\(request.method.rawValue) \(request.uri.path)",
                    succeeded: false, summary: "CSRF 校验失败：\(e.reason)"), by: context.actor, database: services.database)
            return page(.forbidden, "请求被拒绝", "\(e.reason)。请返回上一页刷新后重新提交。", request, context, isAPI, "csrf")
        case let e as RecordNotFound:
            await recordOutOfScope(e, request: request, context: context)
            return page(.notFound, "找不到该记录", "记录不存在，或不在您的管理范围内。", request, context, isAPI, "not_found")
        case let e as ValidationFailure:
            await recordIdentityProbe(e, request: request, context: context)
            if isAPI {
                // A malformed parameter (page, year, limit …) is a bad request; a record that breaks a rule is 422.
                return jsonBody(
                    e.isRequestParameter ? .badRequest : .unprocessableContent,
                    [
                        "error": e.isRequestParameter ? "bad_parameter" : "invalid", "field": e.field, "message": e.fullMessage,
                        "request_id": context.requestID,
                    ])
            }
            return page(.badRequest, "提交的内容有误", e.fullMessage, request, context, isAPI, "invalid")
        case let e as any ProblemList:
            if isAPI {
                let problems = e.problems.map { ["field": $0.field, "message": $0.fullMessage, "rule": $0.ruleID ?? ""] }
                let data =
                    (try? JSONSerialization.data(
                        withJSONObject: ["error": "invalid", "problems": problems, "request_id": context.requestID], options: [.sortedKeys]))
                    ?? Data()
                var headers = HTTPFields()
                headers[.contentType] = "application/json; charset=utf-8"
                return Response(status: .unprocessableContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
            return page(.badRequest, "提交的内容有误", e.problems.map(\.fullMessage).joined(separator: "；"), request, context, isAPI, "invalid")
        case is DatabaseBusy:
            var response = page(.serviceUnavailable, "系统繁忙", "当前访问人数较多，请稍候几秒再试。您提交的内容没有保存。", request, context, isAPI, "busy")
            response.headers[.retryAfter] = "5"
            return response
        case is SubmissionInProgress:
            return page(
                .conflict, "正在保存", "这张表单的上一次提交还在保存中，请勿重复点击。请稍候刷新页面查看结果，不要再次提交。", request, context, isAPI,
                "submission_in_progress")
        case is EditConflict:
            return page(.conflict, "记录已被他人修改", "您打开页面后，这条记录已被其他人修改。请刷新页面，查看最新内容后再修改。", request, context, isAPI, "conflict")
        case is HTTPParserError:
            // A body the HTTP parser cannot read (a malformed chunk size …) is the client's fault (issue 15, L11).
            return page(.badRequest, "请求格式有误", "请求的格式无法识别，请刷新页面后重试。", request, context, isAPI, "malformed_request")
        case let e as any HTTPResponseError:
            if e.status == .notFound {
                return page(.notFound, "页面不存在", "您访问的页面不存在。", request, context, isAPI, "not_found")
            }
            if e.status == .contentTooLarge {
                return page(.contentTooLarge, "提交的内容过大", "提交的内容超过了允许的大小。", request, context, isAPI, "too_large")
            }
            return page(e.status, "请求无法处理", "请求无法处理（\(e.status.code)）。", request, context, isAPI, "http_\(e.status.code)")
        default:
            context.logger.error("request failed: \(String(reflecting: type(of: error))) \(Masking.scrubFreeText(String(describing: error)))")
            return page(.internalServerError, "系统出错了", "系统处理您的请求时出错，请稍后再试。如果问题持续，请把下面的请求编号告诉管理员。", request, context, isAPI, "internal")
        }
    }

    /// Issue 15, M4: a signed-in user's request for a record that is missing or outside their scope is counted; the
    /// first of a minute is audited, the one reaching the threshold raises an alert for the 安全管理员.
    /// Issue 15, L4: a refusal because an ID number is already on a roster (MEM-04) tells the caller that the
    /// person is a Party member somewhere; each one is counted like a request for a record outside the scope, so
    /// trying numbers one after another raises the same alert.
    func recordIdentityProbe(_ failure: ValidationFailure, request: Request, context: AppRequestContext) async {
        guard failure.ruleID == RuleID.mem04.code else { return }
        await recordOutOfScope(RecordNotFound(objectType: "member", objectID: RuleID.mem04.code), request: request, context: context)
    }

    private func recordOutOfScope(_ e: RecordNotFound, request: Request, context: AppRequestContext) async {
        guard let identity = context.identity else { return }
        services.metrics.makeCounter(descriptor: MetricsMiddleware.outOfScope, labels: []).increment()
        let (count, first, alert) = services.outOfScope.note(String(identity.user.id), at: services.clock.now())
        if first {
            try? await services.audit.record(
                AuditEvent(
                    action: .outOfScope, objectType: e.objectType, objectID: e.objectID, succeeded: false,
                    summary: "请求的记录不存在或不在管理范围内：\(request.method.rawValue) \(request.uri.path)（本分钟首次，之后同一分钟内只计数）"),
                by: context.actor, database: services.database)
        }
        if alert {
            services.metrics.makeCounter(descriptor: MetricsMiddleware.outOfScopeAlerts, labels: []).increment()
            try? await services.audit.record(
                AuditEvent(
                    action: .outOfScopeAlert, objectType: "user", objectID: String(identity.user.id), succeeded: false,
                    summary: "告警：\(identity.user.username) 一分钟内 \(count) 次请求范围外或不存在的记录（阈值 \(services.outOfScope.alertThreshold)），疑似遍历探测"),
                by: context.actor, database: services.database)
        }
    }

    private func page(
        _ status: HTTPResponse.Status, _ heading: String, _ message: String, _ request: Request,
        _ context: AppRequestContext, _ isAPI: Bool, _ code: String
    ) -> Response {
        if isAPI { return json(status, code: code, message: message, context: context) }
        let model = ErrorModel(status: status.code, heading: heading, message: message, requestID: context.requestID)
        return services.renderer.page("platform/error", title: heading, model: model, context: context, request: request, status: status)
    }

    /// A value for a query string: everything but letters and digits percent-encoded.
    static func queryEscaped(_ value: String) -> String { value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    private func json(_ status: HTTPResponse.Status, code: String, message: String, context: AppRequestContext) -> Response {
        jsonBody(status, ["error": code, "message": message, "request_id": context.requestID])
    }

    private func jsonBody(_ status: HTTPResponse.Status, _ body: [String: String]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A page that needs no template (used when even rendering might have failed).
    static func bare(status: HTTPResponse.Status, requestID: String) -> Response {
        let html = """
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>系统出错了</title></head>
            <body><h1>系统出错了</h1><p>请稍后再试。请求编号：\(requestID)</p></body></html>
            """
        return PageRenderer.html(html, status: status)
    }
}

/// Routes errors thrown by handlers through `ErrorPages`; sits inside `SessionMiddleware` so pages know the user.
struct ErrorMiddleware: RouterMiddleware {
    let services: AppServices

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return try await ErrorPages(services: services).response(for: error, request: request, context: context)
        }
    }
}

/// Counts requests by method and status for `/metrics`.
struct MetricsMiddleware: RouterMiddleware {
    let services: AppServices
    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "dangjian", metricName: "http_requests", unitName: "total", helpText: "HTTP 请求数")
    }
    static var outOfScope: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "dangjian", metricName: "out_of_scope_requests", unitName: "total", helpText: "请求范围外或不存在记录的次数")
    }
    static var outOfScopeAlerts: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "dangjian", metricName: "out_of_scope_alerts", unitName: "total", helpText: "范围外访问告警次数")
    }
    static var seconds: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "dangjian", metricName: "http_request_duration_seconds", unitName: "sum", helpText: "HTTP 请求处理总耗时（秒）")
    }

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response
    {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        services.metrics.makeCounter(
            descriptor: Self.requests, labels: [("method", request.method.rawValue), ("status", String(response.status.code))]
        ).increment()
        services.metrics.makeCounter(descriptor: Self.seconds, labels: [])
            .increment(by: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        return response
    }
}
