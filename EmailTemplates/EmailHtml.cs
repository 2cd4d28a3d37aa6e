using AngleSharp;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Tasks.EmailTemplates;

/// <summary>A rendered HTML part, parsed once: its text version, and its links routed through tracking.</summary>
internal static class EmailHtml
{
    // AngleSharp's parser is not thread-safe; its maintainer's advice is one per thread.
    [ThreadStatic]
    private static HtmlParser? _parser;

    private static readonly HashSet<string> Invisible = new(StringComparer.OrdinalIgnoreCase)
    {
        "head", "script", "style", "template", "noscript", "title",
    };

    // Set apart by a blank line.
    private static readonly HashSet<string> Paragraphs = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote", "pre", "hr",
    };

    // On lines of their own.
    private static readonly HashSet<string> Lines = new(StringComparer.OrdinalIgnoreCase)
    {
        "div", "li", "tr", "dt", "dd", "section", "article", "header", "footer", "nav", "aside", "main", "address",
        "figure", "figcaption", "form", "fieldset", "caption", "center", "details", "summary",
    };

    public static IHtmlDocument Parse(string html) => (_parser ??= new HtmlParser()).ParseDocument(html);

    /// <summary>
    /// A readable plain-text version: block elements on lines of their own, list items with a dash, links as
    /// "label (url)", images as their alternative text, no script or style.
    /// </summary>
    public static string ToText(IHtmlDocument document)
    {
        var text = new PlainText();
        Write(document.Body ?? (INode?)document.DocumentElement ?? document, text);
        return text.ToString();
    }

    /// <summary>The HTML with each http(s) link but the unsubscribe one through the click endpoint, and the open pixel at the end of the body.</summary>
    public static string Track(IHtmlDocument document, EmailTracking tracking, string unsubscribeUrl)
    {
        var baseUrl = tracking.PublicBaseUrl.TrimEnd('/');
        foreach (var anchor in document.GetElementsByTagName("a"))
        {
            var href = anchor.GetAttribute("href")?.Trim();
            if (href is not null && IsWebUrl(href) && href != unsubscribeUrl.Trim())
            {
                anchor.SetAttribute("href", $"{baseUrl}/t/c/{tracking.Tokens.ForClick(tracking.MessageId, href)}");
            }
        }
        var pixel = document.CreateElement("img");
        pixel.SetAttribute("src", $"{baseUrl}/t/o/{tracking.Tokens.ForOpen(tracking.MessageId)}.gif");
        pixel.SetAttribute("width", "1");
        pixel.SetAttribute("height", "1");
        pixel.SetAttribute("alt", "");
        pixel.SetAttribute("style", "display:block;width:1px;height:1px;border:0");
        (document.Body ?? document.DocumentElement).AppendChild(pixel);
        return document.ToHtml();
    }

    private static bool IsWebUrl(string href) =>
        Uri.TryCreate(href, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    private static void Write(INode node, PlainText text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText words:
                    text.Words(words.Data);
                    break;
                case IElement element:
                    WriteElement(element, text);
                    break;
            }
        }
    }

    private static void WriteElement(IElement element, PlainText text)
    {
        var name = element.LocalName;
        if (Invisible.Contains(name))
        {
            return;
        }
        switch (name)
        {
            case "br":
                text.LineBreak();
                return;
            case "img":
                text.Words(element.GetAttribute("alt") ?? "");
                return;
            case "pre":
                text.Break(2);
                text.Verbatim(element.TextContent);
                text.Break(2);
                return;
            case "a":
                WriteLink(element, text);
                return;
            case "td" or "th":
                text.Words(" ");
                Write(element, text);
                text.Words(" ");
                return;
        }
        var breaks = Paragraphs.Contains(name) ? 2 : Lines.Contains(name) ? 1 : 0;
        text.Break(breaks);
        if (name == "li")
        {
            text.Verbatim(element.ParentElement?.LocalName == "ol" ? $"{ItemNumber(element)}. " : "- ");
        }
        Write(element, text);
        text.Break(breaks);
    }

    private static void WriteLink(IElement anchor, PlainText text)
    {
        var href = anchor.GetAttribute("href")?.Trim();
        var label = string.Join(' ', anchor.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (href is null || !IsWebUrl(href) && !href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            Write(anchor, text);
        }
        else if (label.Length == 0 || label == href || "mailto:" + label == href)
        {
            text.Words(label.Length == 0 ? href : label);
        }
        else
        {
            Write(anchor, text);
            text.Words($" ({href})");
        }
    }

    private static int ItemNumber(IElement item)
    {
        var number = 1;
        for (var sibling = item.PreviousElementSibling; sibling is not null; sibling = sibling.PreviousElementSibling)
        {
            if (sibling.LocalName == "li")
            {
                number++;
            }
        }
        return number;
    }

    /// <summary>Text with HTML's white-space rules: runs of white space as one space, line breaks only where asked for.</summary>
    private sealed class PlainText
    {
        private readonly StringBuilder _text = new();
        private int _pendingBreaks;
        private bool _pendingSpace;

        public void Words(string words)
        {
            foreach (var character in words)
            {
                if (char.IsWhiteSpace(character))
                {
                    _pendingSpace = true;
                }
                else
                {
                    Flush();
                    _text.Append(character);
                }
            }
        }

        public void Verbatim(string verbatim)
        {
            Flush();
            _text.Append(verbatim.ReplaceLineEndings("\n"));
        }

        /// <summary>At least <paramref name="lines"/> line breaks before what follows (2: a blank line).</summary>
        public void Break(int lines)
        {
            _pendingBreaks = Math.Max(_pendingBreaks, lines);
        }

        public void LineBreak()
        {
            _pendingBreaks = Math.Min(_pendingBreaks + 1, 2);
        }

        private void Flush()
        {
            if (_text.Length > 0)
            {
                if (_pendingBreaks > 0)
                {
                    TrimTrailingSpaces();
                    _text.Append('\n', _pendingBreaks);
                }
                else if (_pendingSpace && _text[^1] != '\n')
                {
                    _text.Append(' ');
                }
            }
            _pendingBreaks = 0;
            _pendingSpace = false;
        }

        private void TrimTrailingSpaces()
        {
            var end = _text.Length;
            while (end > 0 && _text[end - 1] == ' ')
            {
                end--;
            }
            _text.Length = end;
        }

        public override string ToString() => _text.ToString().TrimEnd();
    }
}
