import Basics
import Yams

/// The last guard of `JobTemplate.render`: the template rendered with the real values must parse
/// and have the same shape (same collections, same number of entries, scalars where scalars are)
/// as the template rendered with neutral values. Any difference means a value changed structure.
struct TemplateStructureCheck {
    let source: String?

    func check(rendered: String, reference: String) throws(TemplateError) {
        let referenceDocuments: [Node]
        do {
            referenceDocuments = try documents(reference)
        } catch {
            throw TemplateError(source: source, line: error.line, message: "not valid YAML: " + positioned(error))
        }
        let renderedDocuments: [Node]
        do {
            renderedDocuments = try documents(rendered)
        } catch {
            throw TemplateError(source: source, line: error.line,
                                message: "the substituted values make invalid YAML: " + positioned(error))
        }
        guard renderedDocuments.count == referenceDocuments.count else {
            throw TemplateError(source: source, line: nil, message: "the substituted values change the number of YAML documents")
        }
        for (renderedNode, referenceNode) in zip(renderedDocuments, referenceDocuments) {
            if let difference = firstDifference(renderedNode, referenceNode) {
                throw TemplateError(source: source, line: difference?.line,
                                    message: "a substituted value changes the YAML structure here")
            }
        }
    }

    private func documents(_ text: String) throws(YAMLError) -> [Node] {
        do {
            let parser = try Parser(yaml: text, resolver: .basic, encoding: YAML.parserEncoding)
            var nodes: [Node] = []
            while let node = try parser.nextRoot() { nodes.append(node) }
            return nodes
        } catch let error as YamlError {
            throw YAMLError(error, text: text)
        } catch {
            throw YAMLError(line: nil, column: nil, message: "\(error)")
        }
    }

    private func positioned(_ error: YAMLError) -> String {
        error.column.map { "column \($0): \(error.message)" } ?? error.message
    }

    /// nil when both nodes have the same shape, else the position of the first difference.
    private func firstDifference(_ rendered: Node, _ reference: Node) -> Mark?? {
        switch (rendered, reference) {
        case (.scalar, .scalar):
            return nil
        case let (.sequence(left), .sequence(right)):
            guard left.count == right.count else { return .some(rendered.mark) }
            for (a, b) in zip(left, right) {
                if let difference = firstDifference(a, b) { return difference }
            }
            return nil
        case let (.mapping(left), .mapping(right)):
            guard left.count == right.count else { return .some(rendered.mark) }
            for (a, b) in zip(left, right) {
                if let difference = firstDifference(a.key, b.key) ?? firstDifference(a.value, b.value) {
                    return difference
                }
            }
            return nil
        default:
            return .some(rendered.mark)
        }
    }
}
