using System.Text.Json;
using Tasks.Shared;

namespace Tasks.EmailTemplates.Tests;

public sealed class CompiledEmailTemplateTests
{
    private static readonly TrackingTokens Tokens = new("0123456789abcdef0123456789abcdef"u8.ToArray());

    [Fact]
    public void Render_EveryVariable_WritesItsValueInEachPart()
    {
        const string all = "{{ recipient.email }}|{{ recipient.name }}|{{ recipient.fields.plan }}|{{ recipient.fields.address.city }}|"
            + "{{ recipient.fields.tags[1] }}|{{ recipient.fields.visits | plus: 1 }}|{{ recipient.fields.missing }}|"
            + "{{ sender.email }}|{{ sender.name }}|{{ message }}|{{ campaign.name }}|{{ unsubscribe_url }}";
        const string expected = "ann@example.com|Ann Lee|gold|Oslo|b|4||news@shop.example|The Shop|Our news|Spring sale|" + Templates.UnsubscribeUrl;

        var email = Templates.Render(subject: all, html: all, text: all);

        Assert.Equal(expected, email.Subject);
        Assert.Equal(expected, email.Html);
        Assert.Equal(expected, email.Text);
    }

    [Fact]
    public void Render_NoFieldsAndNoNames_RendersThemEmpty()
    {
        var variables = new EmailVariables(new EmailPerson("ann@example.com", null), null, new EmailPerson("news@shop.example", null), "", "", "");

        var email = Templates.Compile("[{{ recipient.name }}{{ sender.name }}{{ recipient.fields.plan }}]").Render(variables);

        Assert.Equal("[]", email.Subject);
    }

    [Theory]
    [InlineData("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;")]
    [InlineData("\"><script>alert(1)</script>", "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("Zoë & Ørjan", "Zoë &amp; Ørjan")]
    public void Render_MarkupInValues_IsEscapedInHtmlAndRawInText(string name, string escaped)
    {
        var email = Templates.Render(
            subject: "{{ recipient.name }}", html: "<a title=\"{{ recipient.name }}\">{{ recipient.name }}</a>", text: "{{ recipient.name }}",
            variables: Templates.Variables(name: name));

        Assert.Equal($"<a title=\"{escaped}\">{escaped}</a>", email.Html);
        Assert.Equal(name, email.Text);
        Assert.Equal(name, email.Subject);
    }

    [Fact]
    public void Render_FieldWithMarkup_IsEscapedInHtml()
    {
        var email = Templates.Render(html: "{{ recipient.fields.bio }}", variables: Templates.Variables(fields: """{"bio":"<img src=x onerror=alert(1)>"}"""));

        Assert.Equal("&lt;img src=x onerror=alert(1)&gt;", email.Html);
    }

    [Theory]
    [InlineData("Ann\r\nBcc: evil@example.com")]
    [InlineData("Ann\nBcc: evil@example.com")]
    [InlineData("Ann\rBcc: evil@example.com")]
    [InlineData("Ann\u2028Bcc: evil@example.com")]
    public void Render_LineBreaksInSubjectValues_BecomeSpaces(string name)
    {
        var email = Templates.Render(subject: "Hi {{ recipient.name }}\n !", variables: Templates.Variables(name: name));

        Assert.Equal("Hi Ann Bcc: evil@example.com !", email.Subject);
    }

    [Fact]
    public void Render_LiquidTags_RunWithTheModel()
    {
        const string html = "{% assign n = recipient.fields.tags | size %}{% if n > 1 %}{{ n }} tags:{% endif %}"
            + "{% for tag in recipient.fields.tags %} {{ forloop.index }}={{ tag | upcase }}{% endfor %}"
            + "{% capture who %}{{ recipient.name | split: ' ' | first }}{% endcapture %} {{ who }}";

        Assert.Equal("2 tags: 1=A 2=B Ann", Templates.Render(html: html).Html);
    }

    [Fact]
    public void Render_LiquidTag_RunsEachLine()
    {
        const string html = "{% liquid\n  assign first = recipient.name | split: ' ' | first\n  for tag in recipient.fields.tags\n    echo tag\n  endfor\n  echo first\n%}";

        Assert.Equal("abAnn", Templates.Render(html: html).Html);
    }

    [Fact]
    public void Render_NoTextPart_DerivesReadableText()
    {
        const string html = """
            <!DOCTYPE html><html><head><title>Ignored</title><style>p { color: red }</style></head>
            <body><h1>Hello  {{ recipient.name }}</h1><script>alert(1)</script>
            <p>Caf&eacute; &amp; more.<br>Second   line</p>
            <ul><li>One</li><li>Two</li></ul><ol><li>First</li><li>Second</li></ol>
            <div>See <a href="https://shop.example/sale?a=1&amp;b=2">the sale</a>, <a href="https://shop.example">https://shop.example</a>
            or <a href="mailto:help@shop.example">help@shop.example</a>.</div>
            <table><tr><td>Price</td><td>10</td></tr></table><img src="x.png" alt="Logo">
            </body></html>
            """;

        var email = Templates.Render(html: html);

        Assert.Equal("""
            Hello Ann Lee

            Café & more.
            Second line

            - One
            - Two

            1. First
            2. Second

            See the sale (https://shop.example/sale?a=1&b=2), https://shop.example or help@shop.example.

            Price 10

            Logo
            """.ReplaceLineEndings("\n"), email.Text);
    }

    [Fact]
    public void Render_WithTracking_RewritesWebLinksButNotUnsubscribeOrMailto()
    {
        const string html = """<p><a href="https://shop.example/sale?x=1&amp;y=2">Sale</a> <a href="http://shop.example/">Home</a> """
            + """<a href="{{ unsubscribe_url }}">Unsubscribe</a> <a href="mailto:help@shop.example">Mail</a> <a href="tel:+4712345678">Call</a> <a href="#top">Top</a></p>""";
        var template = Templates.Compile(html: html);

        var email = template.Render(Templates.Variables(), new EmailTracking("https://track.example/", 42, Tokens));

        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(email.Html);
        var links = document.QuerySelectorAll("a").Select(anchor => anchor.GetAttribute("href")!).ToList();
        Assert.Equal(6, links.Count);
        Assert.Equal(["https://shop.example/sale?x=1&y=2", "http://shop.example/"], links.Take(2).Select(ClickedUrl));
        Assert.Equal([Templates.UnsubscribeUrl, "mailto:help@shop.example", "tel:+4712345678", "#top"], links.Skip(2));
        Assert.DoesNotContain("shop.example/sale", email.Html);
        Assert.Contains("Sale (https://shop.example/sale?x=1&y=2)", email.Text);
        Assert.DoesNotContain("track.example", email.Text);
    }

    [Fact]
    public void Render_WithTracking_AddsTheOpenPixelAtTheEndOfTheBody()
    {
        var email = Templates.Compile(html: "<html><body><p>Hi</p><footer>Bye</footer></body></html>")
            .Render(Templates.Variables(), new EmailTracking("https://track.example", 42, Tokens));

        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(email.Html);
        var pixel = document.Body!.LastElementChild!;
        Assert.Equal("img", pixel.LocalName);
        Assert.Equal(("1", "1", ""), (pixel.GetAttribute("width"), pixel.GetAttribute("height"), pixel.GetAttribute("alt")));
        var src = pixel.GetAttribute("src")!;
        Assert.StartsWith("https://track.example/t/o/", src);
        Assert.EndsWith(".gif", src);
        Assert.True(Tokens.TryReadOpen(src["https://track.example/t/o/".Length..^".gif".Length], out var messageId));
        Assert.Equal(42, messageId);
    }

    [Fact]
    public void Render_WithoutTracking_LeavesTheHtmlAsRendered()
    {
        const string html = "<p><a href=\"https://shop.example\">Shop</a></p>";

        var email = Templates.Render(html: html);

        Assert.Equal(html, email.Html);
    }

    [Fact]
    public void Render_ManyThreadsAtOnce_GivesEachItsOwnEmail()
    {
        var template = Templates.Compile(subject: "{{ recipient.name }}", html: "<p><a href=\"https://shop.example/{{ recipient.fields.n }}\">{{ recipient.name }}</a></p>");

        Parallel.For(0, 500, i =>
        {
            var email = template.Render(Templates.Variables(name: $"N{i}", fields: $$"""{"n":{{i}}}"""), new EmailTracking("https://t.example", i, Tokens));

            Assert.Equal($"N{i}", email.Subject);
            Assert.Equal($"N{i} (https://shop.example/{i})", email.Text);
            Assert.True(Tokens.TryReadClick(Href(email.Html)["https://t.example/t/c/".Length..], out var messageId, out var url));
            Assert.Equal((i, $"https://shop.example/{i}"), (messageId, url));
        });
    }

    [Theory]
    [InlineData("{% for i in (1..1000000) %}{% for j in (1..1000000) %}x{% endfor %}{% endfor %}")]
    [InlineData("{% for i in (1..2000000000) %}{% endfor %}")]
    [InlineData("{% for i in (1..90000) %}{% for j in (1..90000) limit: 0 %}{% endfor %}{% endfor %}")]
    [InlineData("{% assign s = 'xxxxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s }}")]
    [InlineData("{% assign s = 'xxxxxxxxxxxxxxxxxxxx' %}{% for i in (1..12) %}{% assign s = s | replace: 'x', s %}{% endfor %}")]
    [InlineData("{% capture s %}{% for i in (1..90000) %}{{ message }}{% endfor %}{% endcapture %}")]
    [InlineData("{% for i in (1..90000) %}{{ recipient.fields.big }}{% endfor %}")]
    public void Render_HostileTemplate_IsStoppedQuickly(string html)
    {
        var template = Templates.Compile(html: html);
        var variables = Templates.Variables(message: new string('m', 10_000), fields: $$"""{"big":"{{new string('b', 60_000)}}"}""");
        var started = TimeProvider.System.GetTimestamp();

        var failure = Assert.Throws<TemplateRenderException>(() => template.Render(variables));

        Assert.Equal("html", failure.Part);
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("{{ 1 | format_number: 'N99999999' }}")]
    [InlineData("{{ '{0,99999999}' | format_string: 1 }}")]
    [InlineData("{{ '{0,-99999999:N2}' | format_string: 1 }}")]
    [InlineData("{{ 'x{0:F99999999}' | format_string: 1 }}")]
    [InlineData("{{ (1..2000) | join: recipient.fields.big }}")]
    public void Render_FilterWhoseResultWouldExceedTheBudget_IsRefusedBeforeItIsBuilt(string html)
    {
        var template = Templates.Compile(html: html);
        var variables = Templates.Variables(fields: $$"""{"big":"{{new string('b', 60_000)}}"}""");
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var failure = Assert.Throws<TemplateRenderException>(() => template.Render(variables));

        Assert.Equal("html", failure.Part);
        // The result would be 100 million characters (200 MB); the budget is 2 million, refused before a byte of it is built.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, 0, 16 * 1024 * 1024);
    }

    [Theory]
    [InlineData("{{ 1234.5 | format_number: 'N2' }}", "1,234.50")]
    [InlineData("{{ 'Order {0,5}|{1:N1}' | format_string: 12, 3.25 }}", "Order    12|3.3")]
    [InlineData("{{ 'Year 2026: {0}' | format_string: 'ok' }}", "Year 2026: ok")]
    [InlineData("{{ (1..3) | join: ', ' }}", "1, 2, 3")]
    public void Render_FormatsWithinTheBudget_AreRendered(string html, string expected)
    {
        Assert.Equal(expected, Templates.Render(html: html).Html);
    }

    [Fact]
    public void Render_CancelledToken_StopsTheRendering()
    {
        var template = Templates.Compile(html: "{% for i in (1..50000) %}{{ message }}{% endfor %}");

        Assert.ThrowsAny<OperationCanceledException>(() => template.Render(Templates.Variables(), cancellation: new CancellationToken(canceled: true)));
    }

    [Fact]
    public void Render_FilterRefusingItsInput_FailsForThatPart()
    {
        var failure = Assert.Throws<TemplateRenderException>(() => Templates.Render(subject: "{{ 1 | divided_by: 0 }}"));

        Assert.Equal("subject", failure.Part);
    }

    [Fact]
    public void Render_FieldsAreNotAnObject_RendersThemEmpty()
    {
        var template = Templates.Compile(subject: "[{{ recipient.fields.plan }}]");
        var variables = Templates.Variables() with { Fields = JsonDocument.Parse("[1,2]").RootElement };

        Assert.Equal("[]", template.Render(variables).Subject);
    }

    private static string ClickedUrl(string href)
    {
        const string prefix = "https://track.example/t/c/";
        Assert.StartsWith(prefix, href);
        Assert.True(Tokens.TryReadClick(href[prefix.Length..], out var messageId, out var url));
        Assert.Equal(42, messageId);
        return url;
    }

    private static string Href(string html) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelector("a")!.GetAttribute("href")!;
}
