using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TasksConsole.Api;
using TasksConsole.Components.EmailViews;

namespace TasksConsole.Tests.Components.EmailViews;

public sealed class TemplateEditorTests : MudComponentTest
{
    private readonly FakeTimeProvider _clock = new();
    private readonly List<(PreviewDraftRequest Draft, TaskCompletionSource<DraftPreview> Answer)> _calls = [];

    public TemplateEditorTests() => Services.AddSingleton<TimeProvider>(_clock);

    [Fact]
    public void Type_WithinThePause_PreviewsOnceWithTheLastDraft()
    {
        var editor = RenderEditor();

        Type(editor, "template-html", "<p>H</p>");
        _clock.Advance(TemplateEditor.PreviewDelay / 2);
        Type(editor, "template-html", "<p>Hello</p>");
        _clock.Advance(TemplateEditor.PreviewDelay - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_calls);

        _clock.Advance(TimeSpan.FromMilliseconds(1));

        editor.WaitForAssertion(() => Assert.Equal("<p>Hello</p>", Assert.Single(_calls).Draft.Html));
    }

    [Fact]
    public void Type_WhileAPreviewRuns_WaitsForItThenReplacesItWithTheNewerDraft()
    {
        var editor = RenderEditor();
        Type(editor, "template-html", "<p>first</p>");
        _clock.Advance(TemplateEditor.PreviewDelay);
        editor.WaitForAssertion(() => Assert.Single(_calls));

        Type(editor, "template-html", "<p>second</p>");
        _clock.Advance(TemplateEditor.PreviewDelay);
        Assert.Single(_calls);

        Answer(0, "<p>first</p>");
        editor.WaitForAssertion(() => Assert.Equal(2, _calls.Count));
        Assert.Equal("<p>second</p>", _calls[1].Draft.Html);
        Assert.Equal("<p>first</p>", editor.Find("[data-testid=preview-html]").GetAttribute("srcdoc"));

        Answer(1, "<p>second</p>");
        editor.WaitForAssertion(() => Assert.Equal("<p>second</p>", editor.Find("[data-testid=preview-html]").GetAttribute("srcdoc")));
    }

    [Fact]
    public void Preview_Html_IsShownInAnIframeSandboxedWithoutPermissions()
    {
        var editor = RenderEditor();
        Type(editor, "template-html", "<script>parent.alert(1)</script>");
        _clock.Advance(TemplateEditor.PreviewDelay);
        editor.WaitForAssertion(() => Assert.Single(_calls));

        Answer(0, "<script>parent.alert(1)</script>");

        var frame = editor.WaitForElement("iframe[data-testid=preview-html]");
        Assert.Equal("", frame.GetAttribute("sandbox"));
    }

    [Fact]
    public void Preview_SyntaxError_IsShownAtItsPartWithLineAndColumn()
    {
        var editor = RenderEditor();
        Type(editor, "template-html", "<p>\n{% if recipient.name %}\n</p>");
        _clock.Advance(TemplateEditor.PreviewDelay);
        editor.WaitForAssertion(() => Assert.Single(_calls));

        _calls[0].Answer.SetResult(new DraftPreview(null, new ApiProblemException(HttpStatusCode.BadRequest, "One or more validation errors occurred.", null,
            new Dictionary<string, string[]> { ["html"] = ["line 3, column 5: 'endif' was expected."] })));

        editor.WaitForAssertion(() =>
            Assert.Contains("line 3, column 5: 'endif' was expected.", editor.Find("[data-testid=template-html]").TextContent));
        Assert.DoesNotContain("endif", editor.Find("[data-testid=template-subject]").TextContent);
    }

    private IRenderedComponent<TemplateEditor> RenderEditor() =>
        Render<TemplateEditor>(parameters => parameters
            .Add(p => p.Draft, new TemplateDraft { Name = "Welcome", Subject = "Hello" })
            .Add(p => p.RenderPreview, draft =>
            {
                var answer = new TaskCompletionSource<DraftPreview>(TaskCreationOptions.RunContinuationsAsynchronously);
                _calls.Add((draft, answer));
                return answer.Task;
            }));

    private static void Type(IRenderedComponent<TemplateEditor> editor, string field, string text) =>
        editor.Find($"[data-testid={field}] textarea, [data-testid={field}] input").Input(text);

    private void Answer(int call, string html) =>
        _calls[call].Answer.SetResult(new DraftPreview(new TemplatePreviewResponse { Subject = "Hello", Html = html, Text = "text" }, null));
}
