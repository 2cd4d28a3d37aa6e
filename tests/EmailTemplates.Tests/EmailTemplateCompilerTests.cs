namespace Tasks.EmailTemplates.Tests;

public sealed class EmailTemplateCompilerTests
{
    [Theory]
    [InlineData("{{ recipient.email }}")]
    [InlineData("{{ recipient.name | upcase }}")]
    [InlineData("{{ recipient.fields.plan }} {{ recipient.fields.address.city }} {{ recipient.fields['any key'] }}")]
    [InlineData("{{ sender.email }} {{ sender.name }} {{ message }} {{ campaign.name }} {{ unsubscribe_url }}")]
    [InlineData("{% if recipient.name == empty %}friend{% else %}{{ recipient.name.size }}{% endif %}")]
    [InlineData("{% assign greeting = 'Hi ' | append: recipient.name %}{{ greeting }}")]
    [InlineData("{% for tag in recipient.fields.tags %}{{ forloop.index }}: {{ tag }}{% endfor %}")]
    [InlineData("{% capture line %}{{ message }}{% endcapture %}{{ line }}{% increment counter %}{{ counter }}")]
    [InlineData("{% for i in (1..3) %}{{ i }}{% endfor %}{% raw %}{{ not.a.variable }}{% endraw %}{% comment %}{{ nor.this }}{% endcomment %}")]
    public void Compile_KnownVariablesTagsAndLocals_Succeeds(string html)
    {
        var compilation = EmailTemplateCompiler.Compile("Hello {{ recipient.name }}", html, "{{ message }}");

        Assert.True(compilation.Succeeded, string.Join("; ", compilation.Errors));
        Assert.Empty(compilation.Errors);
        Assert.NotNull(compilation.Template);
    }

    [Theory]
    [InlineData("<p>\n  <b>{{ recipent.email }}</b>", 2, 9, "recipent.email")]
    [InlineData("{{ foo }}", 1, 4, "foo")]
    [InlineData("{{recipient.phone}}", 1, 3, "recipient.phone")]
    [InlineData("<p>a</p>\r\n<p>{{ recipient }}</p>", 2, 7, "recipient")]
    [InlineData("{% if x > 1 %}{% endif %}", 1, 7, "x")]
    [InlineData("{% for t in recipient.tags %}{% endfor %}", 1, 13, "recipient.tags")]
    [InlineData("{{ recipient.name | append: sender.phone }}", 1, 29, "sender.phone")]
    [InlineData("{{ message.first }}", 1, 4, "message.first")]
    [InlineData("{{ recipient['email'] }}", 1, 4, "recipient[…]")]
    [InlineData("{{ Recipient.email }}", 1, 4, "Recipient.email")]
    [InlineData("{% liquid\n  echo message\n  echo nope %}", 3, 8, "nope")]
    public void Compile_UnknownVariable_NamesPartLineAndColumn(string html, int line, int column, string variable)
    {
        var error = Templates.SingleError(html: html);

        Assert.Equal(new TemplateError("html", line, column, error.Message), error);
        Assert.StartsWith($"Unknown variable '{variable}'", error.Message);
        Assert.Contains("recipient.fields.<key>", error.Message);
    }

    [Fact]
    public void Compile_ErrorsInSeveralParts_ReportsEachWithItsPart()
    {
        var compilation = EmailTemplateCompiler.Compile("Hi {{ name }}", "<p>{{ message }}</p>\n{{ a }}{{ b }}", "{% if %}");

        Assert.False(compilation.Succeeded);
        Assert.Collection(compilation.Errors,
            error => Assert.Equal(("subject", 1, 7), (error.Part, error.Line, error.Column)),
            error => Assert.Equal(("html", 2, 4), (error.Part, error.Line, error.Column)),
            error => Assert.Equal(("html", 2, 11), (error.Part, error.Line, error.Column)),
            error => Assert.Equal(("text", 1, 6), (error.Part, error.Line, error.Column)));
    }

    [Theory]
    [InlineData("line one\n<p>{{ message }</p>", 2, 14)]
    [InlineData("{% if message %}\n  open\n", 3, 1)]
    // Fluid places an unknown tag's error just after its name.
    [InlineData("\n\n{% nosuchtag %}", 3, 13)]
    [InlineData("{% include 'other' %}", 1, 11)]
    [InlineData("{{ message | }}", 1, 13)]
    [InlineData("{% assign = 1 %}", 1, 10)]
    public void Compile_SyntaxError_NamesLineAndColumn(string html, int line, int column)
    {
        var error = Templates.SingleError(html: html);

        Assert.Equal(("html", line, column), (error.Part, error.Line, error.Column));
        Assert.DoesNotContain(" at (", error.Message);
        Assert.NotEmpty(error.Message);
    }

    [Theory]
    [InlineData("{{ recipient.name | raw }}", 1, 21, "raw")]
    [InlineData("{{ message | upcase | nosuch: 1 }}", 1, 23, "nosuch")]
    public void Compile_UnknownOrUnsafeFilter_NamesLineAndColumn(string html, int line, int column, string filter)
    {
        var error = Templates.SingleError(html: html);

        Assert.Equal(new TemplateError("html", line, column, $"Unknown filter '{filter}'"), error);
    }

    [Fact]
    public void Compile_DeeplyNestedTemplate_IsAnErrorNotACrash()
    {
        var html = string.Concat(Enumerable.Repeat("{% if message %}", 20_000)) + string.Concat(Enumerable.Repeat("{% endif %}", 20_000));

        var error = Templates.SingleError(html: html);

        Assert.Equal("html", error.Part);
        Assert.Contains("deep", error.Message);
    }

    [Fact]
    public void Compile_512KiBOfUnknownVariables_ListsTheFirstErrorsInLinearTime()
    {
        var html = string.Concat(Enumerable.Repeat("{{a}}\n", 512 * 1024 / 6));
        var started = TimeProvider.System.GetTimestamp();

        var compilation = EmailTemplateCompiler.Compile("Hello", html, null);

        // Before: about 10 s of CPU (each of the 87,381 errors located by counting lines from the start) and every error listed.
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Equal(EmailTemplateCompiler.MaxErrors + 1, compilation.Errors.Count);
        Assert.Equal(new TemplateError("html", 1, 3, compilation.Errors[0].Message), compilation.Errors[0]);
        var last = compilation.Errors[^1];
        Assert.Equal(("html", EmailTemplateCompiler.MaxErrors + 1, 3), (last.Part, last.Line, last.Column));
        Assert.Contains("not listed", last.Message);
    }

    [Fact]
    public void CheckSubject_UnknownVariableOrBadSyntax_NamesTheSubject()
    {
        Assert.Empty(EmailTemplateCompiler.CheckSubject("Hi {{ recipient.name }}"));
        Assert.Equal(new TemplateError("subject", 1, 7, "Unknown variable 'recipent.name'; the variables are " + EmailTemplateCompiler.KnownVariables),
            Assert.Single(EmailTemplateCompiler.CheckSubject("Hi {{ recipent.name }}")));
        Assert.Equal("subject", Assert.Single(EmailTemplateCompiler.CheckSubject("{% if x %}")).Part);
    }

    [Fact]
    public void Compile_EmptyText_DerivesTheTextPart()
    {
        var email = Templates.Render(html: "<p>Hi {{ recipient.name }}</p>", text: "");

        Assert.Equal("Hi Ann Lee", email.Text);
    }
}
