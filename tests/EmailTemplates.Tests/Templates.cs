using System.Text.Json;
using Tasks.Shared;

namespace Tasks.EmailTemplates.Tests;

/// <summary>Compiling and rendering with values a test does not care about.</summary>
internal static class Templates
{
    public const string UnsubscribeUrl = "https://mail.example.com/u/unsub-token";

    public static CompiledEmailTemplate Compile(string subject = "Hello", string html = "<p>Hi</p>", string? text = null)
    {
        var compilation = EmailTemplateCompiler.Compile(subject, html, text);
        Assert.True(compilation.Succeeded, string.Join("; ", compilation.Errors));
        return compilation.Template!;
    }

    public static TemplateError SingleError(string subject = "Hello", string html = "<p>Hi</p>", string? text = null)
    {
        var compilation = EmailTemplateCompiler.Compile(subject, html, text);
        Assert.False(compilation.Succeeded);
        Assert.Null(compilation.Template);
        return Assert.Single(compilation.Errors);
    }

    public static EmailVariables Variables(
        string name = "Ann Lee",
        string email = "ann@example.com",
        string fields = """{"plan":"gold","address":{"city":"Oslo"},"tags":["a","b"],"visits":3}""",
        string message = "Our news") =>
        new(new EmailPerson(email, name), JsonDocument.Parse(fields).RootElement, new EmailPerson("news@shop.example", "The Shop"),
            message, "Spring sale", UnsubscribeUrl);

    public static RenderedEmail Render(string subject = "Hello", string html = "<p>Hi</p>", string? text = null, EmailVariables? variables = null) =>
        Compile(subject, html, text).Render(variables ?? Variables());
}
