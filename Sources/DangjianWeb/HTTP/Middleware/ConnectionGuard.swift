import Foundation
import NIOCore
import NIOHTTPTypes

/// How many connections the server holds at once (issue 15, L12): in all, and from one address when the server
/// is reached directly (behind a proxy every connection comes from the proxy, so only the total applies).
final class ConnectionLimits: @unchecked Sendable {
    let total: Int
    let perAddress: Int?
    private let lock = NSLock()
    private var open = 0
    private var byAddress: [String: Int] = [:]

    init(total: Int, perAddress: Int?) {
        self.total = max(1, total)
        self.perAddress = perAddress.map { max(1, $0) }
    }

    /// Counts a new connection from `address`; false (not counted) when a limit is reached.
    func admit(_ address: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard open < total else { return false }
        if let perAddress, byAddress[address, default: 0] >= perAddress { return false }
        open += 1
        byAddress[address, default: 0] += 1
        return true
    }

    func release(_ address: String) {
        lock.lock()
        defer { lock.unlock() }
        open -= 1
        let left = byAddress[address, default: 1] - 1
        byAddress[address] = left > 0 ? left : nil
    }

    var openConnections: Int { lock.withLock { open } }
}

/// One per connection, after HTTP decoding (issue 15, L12): refuses a connection over the limits, closes one whose
/// first request head has not arrived within `headTimeout` (slow headers), and one whose request body has not ended
/// within `bodyTimeout` of its head (slow bodies). Between requests the server's idle timeout applies.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let limits: ConnectionLimits
    let headTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    private var address = ""
    private var counted = false
    private var deadline: Scheduled<Void>?

    init(limits: ConnectionLimits, headTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.limits = limits
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        guard limits.admit(address) else {
            context.close(promise: nil)
            return
        }
        counted = true
        arm(context, after: headTimeout)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(context, after: bodyTimeout)
        case .body: break
        case .end:
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { finish() }

    private func arm(_ context: ChannelHandlerContext, after timeout: TimeAmount) {
        deadline?.cancel()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    private func finish() {
        deadline?.cancel()
        deadline = nil
        if counted {
            counted = false
            limits.release(address)
        }
    }
}
