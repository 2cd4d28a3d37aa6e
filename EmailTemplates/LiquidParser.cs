using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;
using Fluid.Parser;
using Parlot.Fluent;

namespace Tasks.EmailTemplates;

/// <summary>
/// Fluid's Liquid grammar without the tags that load other templates (an email template is one text), parsing with a
/// record of where each variable reference and filter name starts: Fluid's syntax tree keeps no positions, and an
/// author must be told where the mistake is. Thread-safe: the record lives in each parse's own context.
/// </summary>
internal sealed partial class LiquidParser : FluidParser
{
    public static readonly LiquidParser Instance = new();

    // Fluid names so the parser of a variable reference: an identifier followed by dots and indexers.
    private const string MemberParserName = "Member";

    // Parsers nested in parsers, a few dozen per level of tags or brackets: the parser recurses, and a template nested
    // thousands deep would otherwise overflow the stack, which no handler survives.
    private const int MaxParserDepth = 2_000;

    // Without AllowLiquidTag Fluid parses {% liquid %} but renders nothing of it.
    private LiquidParser() : base(new FluidParserOptions { AllowLiquidTag = true })
    {
        RegisteredTags.Remove("include");
        RegisteredTags.Remove("render");
    }

    public ParsedPart Parse(string source)
    {
        var context = new FluidParseContext(source);
        var references = new SortedSet<int>();
        var filterNames = new List<int>();
        var openReferences = new Stack<int>();
        var depth = 0;
        context.OnEnterParser = (parser, parsing) =>
        {
            if (++depth > MaxParserDepth)
            {
                throw new InvalidOperationException("The template nests tags or brackets too deeply");
            }
            RuntimeHelpers.EnsureSufficientExecutionStack();
            if (IsMemberParser(parser))
            {
                openReferences.Push(parsing.Scanner.Cursor.Offset);
            }
        };
        context.OnExitParser = (parser, parsing) =>
        {
            depth--;
            var offset = parsing.Scanner.Cursor.Offset;
            if (IsMemberParser(parser))
            {
                // A parser that fails leaves the cursor where it started; one tried again after backtracking starts at the same offset.
                var start = openReferences.Pop();
                if (offset > start)
                {
                    references.Add(SourceText.SkipWhiteSpace(source, start));
                }
            }
            else if (ReferenceEquals(parser, Pipe) && offset > 0 && source[offset - 1] == '|')
            {
                filterNames.Add(SourceText.SkipWhiteSpace(source, offset));
            }
        };

        try
        {
            if (Grammar.TryParse(context, out var statements, out var error) && statements is not null)
            {
                return new ParsedPart(new FluidTemplate(statements), null, [.. references], filterNames);
            }
            return error is null
                ? Failed(source, "The template could not be parsed", SourceText.PositionOf(source, context.Scanner.Cursor.Offset))
                : Failed(source, error.Message ?? "Invalid template", SourceText.PositionOf(source, error.Position.Offset));
        }
        catch (Exception exception) when (exception is FluidException or InvalidOperationException or ArgumentException or FormatException or InsufficientExecutionStackException)
        {
            // Fluid throws some errors, with their position in the message ("Unknown tag 'x' at (1:4)").
            var match = PositionInMessage().Match(exception.Message);
            return match.Success
                ? Failed(source, exception.Message[..match.Index], new TextPoint(int.Parse(match.Groups[1].ValueSpan), int.Parse(match.Groups[2].ValueSpan)))
                : Failed(source, exception.Message, SourceText.PositionOf(source, context.Scanner.Cursor.Offset));
        }
    }

    private static ParsedPart Failed(string source, string message, TextPoint position) =>
        new(null, new SyntaxError(message.Trim(), position), [], []);

    private static bool IsMemberParser(object parser) => parser is Parser<MemberExpression> { Name: MemberParserName };

    [GeneratedRegex(@"\s+at \((\d+):(\d+)\)")]
    private static partial Regex PositionInMessage();
}

/// <summary>A parsed part: its template, or the syntax error; the offsets of its variable references and filter names.</summary>
internal sealed record ParsedPart(IFluidTemplate? Template, SyntaxError? Error, IReadOnlyList<int> References, IReadOnlyList<int> FilterNames);

internal sealed record SyntaxError(string Message, TextPoint Position);

/// <summary>A 1-based line and column.</summary>
internal readonly record struct TextPoint(int Line, int Column);
