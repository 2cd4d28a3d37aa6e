using Fluid;
using Fluid.Ast;

namespace Tasks.EmailTemplates;

/// <summary>
/// The variables a template may name: the model's, its own (assign, capture, for, tablerow, increment, decrement) and
/// Liquid's (forloop, the literals). A variable the template defines anywhere counts as known everywhere in it.
/// </summary>
internal static class TemplateVariables
{
    public const string Listing =
        "recipient.email, recipient.name, recipient.fields.<key>, sender.email, sender.name, message, campaign.name and unsubscribe_url";

    private static readonly Node Leaf = new(null, Open: false);
    private static readonly Node Anything = new(null, Open: true);

    private static readonly Dictionary<string, Node> Model = new(StringComparer.Ordinal)
    {
        ["recipient"] = Object(("email", Leaf), ("name", Leaf), ("fields", Anything)),
        ["sender"] = Object(("email", Leaf), ("name", Leaf)),
        ["campaign"] = Object(("name", Leaf)),
        ["message"] = Leaf,
        ["unsubscribe_url"] = Leaf,
    };

    // Names Liquid itself gives a meaning: literals, loop state, the for tag's "offset: continue".
    private static readonly HashSet<string> LiquidNames = new(StringComparer.Ordinal)
    {
        "empty", "blank", "nil", "null", "true", "false", "forloop", "tablerowloop", "continue",
    };

    /// <summary>The complaint about the reference at <paramref name="offset"/>, or null when it names a known variable.</summary>
    public static string? Check(string source, int offset, IReadOnlySet<string> locals)
    {
        var root = SourceText.IdentifierAt(source, offset).ToString();
        if (locals.Contains(root) || LiquidNames.Contains(root))
        {
            return null;
        }
        var segments = new List<string>();
        var end = offset + root.Length;
        while (end < source.Length && source[end] == '.')
        {
            var start = SourceText.SkipWhiteSpace(source, end + 1);
            var segment = SourceText.IdentifierAt(source, start);
            if (segment.IsEmpty)
            {
                break;
            }
            segments.Add(segment.ToString());
            end = start + segment.Length;
        }
        var indexed = end < source.Length && source[end] == '[';
        if (Model.TryGetValue(root, out var node) && node.Allows(segments, 0, indexed))
        {
            return null;
        }
        var written = string.Join('.', [root, .. segments]) + (indexed ? "[…]" : "");
        return $"Unknown variable '{written}'; the variables are {Listing}";
    }

    public static IReadOnlySet<string> LocalsOf(IFluidTemplate template)
    {
        var collector = new LocalNames();
        collector.VisitTemplate(template);
        return collector.Names;
    }

    private static Node Object(params (string Name, Node Node)[] members) =>
        new(members.ToDictionary(member => member.Name, member => member.Node, StringComparer.Ordinal), Open: false);

    /// <summary>A value of the model: an object with named members, a string (a leaf), or the recipient's free-form fields.</summary>
    private sealed record Node(Dictionary<string, Node>? Members, bool Open)
    {
        public bool Allows(List<string> segments, int depth, bool indexed)
        {
            if (Open)
            {
                return true;
            }
            if (Members is null)
            {
                // A string: itself, or its length.
                var rest = segments.Count - depth;
                return !indexed && (rest == 0 || (rest == 1 && segments[depth] == "size"));
            }
            return depth < segments.Count && Members.TryGetValue(segments[depth], out var member) && member.Allows(segments, depth + 1, indexed);
        }
    }

    private sealed class LocalNames : AstVisitor
    {
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

        protected override Statement VisitAssignStatement(AssignStatement statement) => Defines(statement.Identifier, base.VisitAssignStatement(statement));

        protected override Statement VisitCaptureStatement(CaptureStatement statement) => Defines(statement.Identifier, base.VisitCaptureStatement(statement));

        protected override Statement VisitForStatement(ForStatement statement) => Defines(statement.Identifier, base.VisitForStatement(statement));

        protected override Statement VisitTableRowStatement(TableRowStatement statement) => Defines(statement.Identifier, base.VisitTableRowStatement(statement));

        protected override Statement VisitIncrementStatement(IncrementStatement statement) => Defines(statement.Identifier, base.VisitIncrementStatement(statement));

        protected override Statement VisitDecrementStatement(DecrementStatement statement) => Defines(statement.Identifier, base.VisitDecrementStatement(statement));

        private Statement Defines(string name, Statement visited)
        {
            Names.Add(name);
            return visited;
        }
    }
}
