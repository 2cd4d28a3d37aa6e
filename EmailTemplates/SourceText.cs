namespace Tasks.EmailTemplates;

/// <summary>Reading a template's source at an offset the parser recorded.</summary>
internal static class SourceText
{
    public static int SkipWhiteSpace(string source, int offset)
    {
        while (offset < source.Length && char.IsWhiteSpace(source[offset]))
        {
            offset++;
        }
        return offset;
    }

    /// <summary>The line and column of <paramref name="offset"/>, counted as the parser counts them (a CR is no column).</summary>
    public static TextPoint PositionOf(string source, int offset)
    {
        offset = Math.Clamp(offset, 0, source.Length);
        var lineStart = source.LastIndexOf('\n', Math.Max(offset - 1, 0), offset) + 1;
        var line = 1 + source.AsSpan(0, lineStart).Count('\n');
        var column = 1 + offset - lineStart - source.AsSpan(lineStart, offset - lineStart).Count('\r');
        return new TextPoint(line, column);
    }

    /// <summary>The Liquid identifier (letters, digits, '_' and '-') at <paramref name="offset"/>; empty if there is none.</summary>
    public static ReadOnlySpan<char> IdentifierAt(string source, int offset)
    {
        var end = offset;
        while (end < source.Length && (char.IsAsciiLetterOrDigit(source[end]) || source[end] is '_' or '-'))
        {
            end++;
        }
        return source.AsSpan(offset, end - offset);
    }
}
