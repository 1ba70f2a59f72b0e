/// A horizontal bar chart as inline SVG (server-side charts: no JavaScript library is available, and SVG prints
/// and snapshots well). Labels are escaped; bars scale to the largest value.
public struct SVGBarChart: Sendable {
    public var title: String
    public var items: [(label: String, value: Int)]
    public var width: Int = 560
    public var barHeight: Int = 22

    public init(title: String, items: [(label: String, value: Int)]) {
        self.title = title
        self.items = items
    }

    /// The `<svg>` element.
    public func render() -> String {
        let labelWidth = 130
        let valueWidth = 60
        let plot = width - labelWidth - valueWidth
        let maxValue = max(1, items.map(\.value).max() ?? 1)
        let height = 30 + items.count * (barHeight + 8)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(Self.escape(title))\">"
        svg += "<title>\(Self.escape(title))</title>"
        svg += "<text x=\"0\" y=\"16\" class=\"chart-title\" font-size=\"14\" font-weight=\"bold\">\(Self.escape(title))</text>"
        for (i, item) in items.enumerated() {
            let y = 28 + i * (barHeight + 8)
            let length = item.value == 0 ? 0 : max(2, plot * item.value / maxValue)
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + barHeight - 6)\" text-anchor=\"end\" font-size=\"13\">\(Self.escape(item.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(length)\" height=\"\(barHeight)\" fill=\"#b71c1c\" opacity=\"0.85\"></rect>"
            svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + barHeight - 6)\" font-size=\"13\">\(item.value)</text>"
        }
        return svg + "</svg>"
    }

    /// XML escaping for text and attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if let ascii = ch.asciiValue, ascii < 0x20, ch != "\t", ch != "\n" { continue }
                out.append(ch)
            }
        }
        return out
    }
}
